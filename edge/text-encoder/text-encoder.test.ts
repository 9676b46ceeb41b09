// The text-encoder service with the tiny CLIP fixture over real HTTP on 127.0.0.1, and the Worker-side client.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createClipTextEmbedder } from "../../batch/features/clip/text-embedder.ts";
import type { TextEmbedder } from "../../batch/features/embedder.ts";
import { createLogger } from "../../common/log.ts";
import { readFileSync } from "node:fs";
import { createClipImageEmbedder } from "../../batch/features/clip/image-embedder.ts";
import { EmbedderUnavailable } from "../services/similar-upload.ts";
import { connectRemoteTextEmbedder, createRemoteImageEmbedder, createRemoteTextEmbedder, TextEncoderError } from "./client.ts";
import { LruCache } from "./lru.ts";
import { startTextEncoder, type RunningTextEncoder } from "./main.ts";
import { cacheKey, createTextEncoderApp } from "./server.ts";

const MODEL_DIR = fileURLToPath(new URL("../../test/fixtures/models/tiny-clip/", import.meta.url));
const TOKEN = "test-token-0123456789";
const quiet = createLogger({ service: "text-encoder-test" }, "error");

let open: RunningTextEncoder;
let locked: RunningTextEncoder;
let local: TextEmbedder;

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/encode`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
}

before(async () => {
  open = await startTextEncoder({ modelDir: MODEL_DIR, modelId: "art-snob/tiny-clip", port: 0, logger: quiet, maxTexts: 8, maxChars: 200 });
  locked = await startTextEncoder({ modelDir: MODEL_DIR, modelId: "art-snob/tiny-clip", port: 0, logger: quiet, token: TOKEN });
  local = await createClipTextEmbedder({ modelDir: MODEL_DIR, modelId: "art-snob/tiny-clip" });
});
after(async () => {
  await open?.close();
  await locked?.close();
  await local?.close?.();
});

describe("service over HTTP", () => {
  test("POST /encode returns the model's vectors; /health names the model", async () => {
    const texts = ["a red painting", "blue sea"];
    const { status, json } = await post(open.url, { texts });
    assert.equal(status, 200);
    assert.equal(json.model, "clip:art-snob/tiny-clip");
    assert.equal(json.dim, 32);
    const expected = await local.embedTexts(texts);
    json.vectors.forEach((v: number[], i: number) => assert.ok(maxDiff(Float32Array.from(v), expected[i]!) < 1e-6));
    const health = await (await fetch(`${open.url}/health`)).json();
    assert.equal(health.status, "ok");
    assert.equal(health.model, "clip:art-snob/tiny-clip");
    assert.equal(health.dim, 32);
  });

  test("repeated queries come from the cache (CLIP-normalised key)", async () => {
    const first = await post(open.url, { texts: ["Vintage  Poster of a cat"] });
    assert.equal(first.headers.get("x-cache-hits"), "0");
    const second = await post(open.url, { texts: ["vintage poster of a CAT ", "vintage poster of a cat"] });
    assert.equal(second.headers.get("x-cache-hits"), "1", "both texts share one cache entry");
    assert.deepEqual(second.json.vectors[0], first.json.vectors[0]);
    assert.deepEqual(second.json.vectors[1], first.json.vectors[0]);
  });

  test("bad requests get JSON errors with the right status", async () => {
    const cases: [unknown, number, string][] = [
      ["{nope", 400, "invalid_json"],
      [{}, 400, "invalid_body"],
      [{ texts: [] }, 400, "invalid_body"],
      [{ texts: "red" }, 400, "invalid_body"],
      [{ texts: [1] }, 400, "invalid_body"],
      [{ texts: Array(9).fill("x") }, 400, "invalid_body"],
      [{ texts: ["x".repeat(201)] }, 400, "invalid_body"],
      [{ texts: ["x"], extra: 1 }, 400, "invalid_body"],
      [{ texts: ["x".repeat(70_000)] }, 413, "body_too_large"],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(open.url, body);
      assert.equal(res.status, status, JSON.stringify(body).slice(0, 60));
      assert.equal(res.json.error.code, code);
    }
    const wrongType = await fetch(`${open.url}/encode`, { method: "POST", headers: { "content-type": "text/plain" }, body: '{"texts":["x"]}' });
    assert.equal(wrongType.status, 415);
    const unknown = await fetch(`${open.url}/nope`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, "not_found");
  });

  test("a token-protected service refuses missing and wrong tokens", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong-token-0123456789" }, { authorization: TOKEN }] as Record<string, string>[]) {
      const res = await post(locked.url, { texts: ["red"] }, headers);
      assert.equal(res.status, 401);
      assert.equal(res.json.error.code, "unauthorized");
      assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
    }
    const ok = await post(locked.url, { texts: ["red"] }, { authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 200);
  });
});

describe("remote client", () => {
  test("matches the local embedder; learns id and dim; splits long lists", async () => {
    const client = createRemoteTextEmbedder(locked.url, TOKEN, { maxTextsPerRequest: 4 });
    assert.equal(client.id, "");
    assert.deepEqual(await client.ready(), { id: "clip:art-snob/tiny-clip", dim: 32 });
    const texts = Array.from({ length: 10 }, (_, i) => `a ${["red", "green", "blue"][i % 3]} flower number ${i}`);
    const [remote, expected] = await Promise.all([client.embedTexts(texts), local.embedTexts(texts)]);
    assert.equal(remote.length, 10);
    remote.forEach((v, i) => {
      assert.ok(v instanceof Float32Array);
      assert.ok(maxDiff(v, expected[i]!) < 1e-6);
    });
    assert.equal(client.id, local.id);
    assert.equal(client.dim, local.dim);
    const connected = await connectRemoteTextEmbedder(locked.url, TOKEN);
    assert.equal(connected.id, local.id, "id known before the first encode");
    assert.equal(connected.dim, 32);
  });

  test("wrong token, bad URL, unreachable host and a hanging server are clear errors", async () => {
    await assert.rejects(createRemoteTextEmbedder(locked.url, "nope").embedTexts(["red"]), (err: TextEncoderError) => {
      assert.equal(err.status, 401);
      assert.match(err.message, /401: a valid bearer token is required/);
      return true;
    });
    assert.throws(() => createRemoteTextEmbedder("ftp://x"), /http\(s\) URL/);

    const hang: Server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((ok) => hang.listen(0, "127.0.0.1", ok));
    const port = (hang.address() as AddressInfo).port;
    try {
      const started = Date.now();
      await assert.rejects(createRemoteTextEmbedder(`http://127.0.0.1:${port}`, undefined, { timeoutMs: 200 }).embedTexts(["red"]), /timed out after 200 ms/);
      assert.ok(Date.now() - started < 2000);
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((ok) => hang.close(() => ok()));
    }
    await assert.rejects(createRemoteTextEmbedder(`http://127.0.0.1:${port}`).embedTexts(["red"]), /unreachable/);
    await assert.rejects(connectRemoteTextEmbedder(`http://127.0.0.1:${port}`), /unreachable/);
  });
});

describe("app without HTTP", () => {
  test("concurrent requests for the same text share one embedder call; failures are 500 JSON", async () => {
    const calls: string[][] = [];
    let failNext = false;
    const counting: TextEmbedder = {
      id: local.id,
      dim: local.dim,
      async embedTexts(texts) {
        calls.push(texts);
        if (failNext) throw new Error("model crashed");
        await new Promise((r) => setTimeout(r, 20));
        return local.embedTexts(texts);
      },
    };
    const app = createTextEncoderApp({ embedder: counting, logger: quiet });
    const req = (texts: string[]) =>
      app.request("/encode", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ texts }) });
    const [a, b] = await Promise.all([req(["green tree"]), req(["Green tree"])]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.deepEqual(calls, [["green tree"]]);
    failNext = true;
    const broken = await req(["something new"]);
    assert.equal(broken.status, 500);
    assert.equal(((await broken.json()) as { error: { code: string } }).error.code, "encode_failed");
    failNext = false;
    assert.equal((await req(["something new"])).status, 200, "a failure is not cached");
  });

  test("LRU keeps the most recently used entries; cache keys follow CLIP's normaliser", () => {
    const lru = new LruCache<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.get("a");
    lru.set("c", 3);
    assert.equal(lru.get("b"), undefined);
    assert.equal(lru.get("a"), 1);
    assert.equal(lru.get("c"), 3);
    assert.equal(cacheKey("  A\tRed\n\nPainting "), "a red painting");
  });
});

describe("reverse image search through the service (POST /embed-image)", () => {
  const SAMPLE = fileURLToPath(new URL("../../test/fixtures/corpus/openclipart/", import.meta.url));
  const image = () => {
    const works = JSON.parse(readFileSync(`${SAMPLE}works.json`, "utf8")) as Array<{ image: string }>;
    return new Uint8Array(readFileSync(`${SAMPLE}${works[3]!.image}`));
  };

  test("the service embeds an image with the model's vision side; the Worker-side client reads it", async () => {
    const localImages = await createClipImageEmbedder({ modelDir: MODEL_DIR, modelId: "art-snob/tiny-clip" });
    try {
      const [expected] = await localImages.embedImages([image()]);
      const res = await fetch(`${open.url}/embed-image`, { method: "POST", headers: { "content-type": "image/webp" }, body: image() });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { model: string; dim: number; vector: number[] };
      assert.equal(body.model, localImages.id);
      assert.ok(maxDiff(Float32Array.from(body.vector), expected!) < 1e-6);

      const client = createRemoteImageEmbedder(locked.url, TOKEN);
      assert.equal(client.id, "", "unknown until the service answers");
      const [viaClient] = await client.embedImages([image()]);
      assert.equal(client.id, localImages.id);
      assert.ok(maxDiff(viaClient!, expected!) < 1e-6);
    } finally {
      await localImages.close();
    }
  });

  test("bad uploads are 4xx; an unusable service is EmbedderUnavailable (the API answers 503)", async () => {
    const post = (body: BodyInit, headers: Record<string, string> = {}) => fetch(`${open.url}/embed-image`, { method: "POST", headers, body });
    assert.equal((await post("not an image at all")).status, 415);
    assert.equal((await post(new Uint8Array(5 * 1024 * 1024 + 1).fill(0xff))).status, 413);
    assert.equal((await fetch(`${locked.url}/embed-image`, { method: "POST", body: image() })).status, 401);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    assert.equal((await post(png)).status, 422, "PNG magic, undecodable body");

    await assert.rejects(createRemoteImageEmbedder(open.url).embedImages([png]), (e: Error) => e instanceof TextEncoderError && !(e instanceof EmbedderUnavailable));
    await assert.rejects(createRemoteImageEmbedder(locked.url, "wrong-token-0000000").embedImages([image()]), EmbedderUnavailable);
    await assert.rejects(createRemoteImageEmbedder("http://127.0.0.1:9", undefined, { timeoutMs: 2000 }).embedImages([image()]), EmbedderUnavailable);
    const textOnly = createTextEncoderApp({ embedder: local, logger: quiet });
    assert.equal((await textOnly.request("/embed-image", { method: "POST", body: image() })).status, 404);
  });
});
