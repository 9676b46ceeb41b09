// The service on Deno (same main.ts) and the client inside a real Worker (workerd via wrangler), both checked
// against the in-process Node embedder over the tiny CLIP fixture.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createClipTextEmbedder } from "../../batch/features/clip/text-embedder.ts";
import type { TextEmbedder } from "../../batch/features/embedder.ts";
import { createLogger } from "../../common/log.ts";
import { startTextEncoder, type RunningTextEncoder } from "./main.ts";
import { readFileSync } from "node:fs";
import { createClipImageEmbedder } from "../../batch/features/clip/image-embedder.ts";

const SAMPLE = fileURLToPath(new URL("../../test/fixtures/corpus/openclipart/", import.meta.url));

process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
const repo = fileURLToPath(new URL("../..", import.meta.url));
const MODEL_DIR = fileURLToPath(new URL("../../test/fixtures/models/tiny-clip/", import.meta.url));
const DENO = fileURLToPath(new URL("../../node_modules/deno/deno", import.meta.url));
const TOKEN = "runtime-token-0123456789";

let local: TextEmbedder;
let service: RunningTextEncoder;
before(async () => {
  local = await createClipTextEmbedder({ modelDir: MODEL_DIR, modelId: "art-snob/tiny-clip" });
  service = await startTextEncoder({ modelDir: MODEL_DIR, modelId: "art-snob/tiny-clip", port: 0, token: TOKEN, logger: createLogger({}, "error") });
});
after(async () => {
  await service?.close();
  await local?.close?.();
});

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

test("deno: main.ts serves the same vectors", { skip: !existsSync(DENO) && "deno binary not installed" }, async () => {
  let child: ChildProcess | undefined;
  try {
    child = spawn(DENO, ["run", "-A", "edge/text-encoder/main.ts"], {
      cwd: repo,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", CLIP_MODEL_DIR: MODEL_DIR, CLIP_MODEL_ID: "art-snob/tiny-clip", TEXT_ENCODER_PORT: "0", LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      const timer = setTimeout(() => reject(new Error(`deno did not start in 30 s: ${err}`)), 30_000);
      child!.stdout!.on("data", (d: Buffer) => {
        out += d;
        const m = /^(http:\/\/\S+)$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child!.stderr!.on("data", (d: Buffer) => (err += d));
      child!.once("exit", (code) => reject(new Error(`deno exited ${code}: ${err}`)));
    });
    const res = await fetch(`${url}/encode`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"texts":["a red flower"]}' });
    const body = (await res.json()) as { model: string; dim: number; vectors: number[][] };
    assert.equal(body.model, "clip:art-snob/tiny-clip");
    const [expected] = await local.embedTexts(["a red flower"]);
    assert.ok(maxDiff(body.vectors[0]!, expected!) < 1e-6);
  } finally {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  }
});

test("workerd: the client encodes through the service from inside a Worker", async () => {
  const { unstable_startWorker } = await import("wrangler");
  const worker = (await unstable_startWorker({
    name: "text-encoder-probe",
    config: fileURLToPath(new URL("./probe/wrangler.jsonc", import.meta.url)),
    entrypoint: fileURLToPath(new URL("./probe/worker.ts", import.meta.url)),
    compatibilityDate: "2026-04-26",
    bindings: {
      TEXT_ENCODER_URL: { type: "plain_text", value: service.url },
      TEXT_ENCODER_TOKEN: { type: "plain_text", value: TOKEN },
    },
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, logLevel: "warn" },
  })) as unknown as { ready: Promise<void>; url: Promise<URL>; dispose(): Promise<void> };
  try {
    await worker.ready;
    const res = await fetch(`${(await worker.url).origin}/?q=${encodeURIComponent("blue sea at night")}`);
    const body = (await res.json()) as { id: string; dim: number; vector: number[]; error?: string };
    assert.equal(res.status, 200, body.error);
    assert.equal(body.id, "clip:art-snob/tiny-clip");
    assert.equal(body.dim, 32);
    const [expected] = await local.embedTexts(["blue sea at night"]);
    assert.ok(maxDiff(body.vector, expected!) < 1e-6);

    // Reverse image search from inside the Worker: the upload goes through POST /embed-image.
    const works = JSON.parse(readFileSync(`${SAMPLE}works.json`, "utf8")) as Array<{ image: string }>;
    const bytes = new Uint8Array(readFileSync(`${SAMPLE}${works[5]!.image}`));
    const img = await fetch((await worker.url).origin, { method: "POST", body: bytes });
    const imgBody = (await img.json()) as { id: string; dim: number; vector: number[]; error?: string };
    assert.equal(img.status, 200, imgBody.error);
    assert.equal(imgBody.id, "clip:art-snob/tiny-clip");
    const images = await createClipImageEmbedder({ modelDir: MODEL_DIR, modelId: "art-snob/tiny-clip" });
    try {
      const [want] = await images.embedImages([bytes]);
      assert.ok(maxDiff(imgBody.vector, want!) < 1e-6);
    } finally {
      await images.close();
    }
  } finally {
    await worker.dispose();
  }
});
