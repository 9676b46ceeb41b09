// Reverse image search end to end on Node: the real corpus sample indexed with the classic
// descriptor, an uploaded corpus image finds its own work first; bad uploads are clear 4xx.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { UploadSimilarResponse } from "../../common/api-reads.ts";
import { createLogger } from "../../common/log.ts";
import { buildCorpusDataDir, SAMPLE_CORPUS } from "../../scripts/eval/reco-corpus.ts";
import { localDeps } from "../adapter/local.ts";
import { createApp } from "../app.ts";
import { EmbedderUnavailable, imageKind } from "./similar-upload.ts";

let dir = "";
let app: ReturnType<typeof createApp>["app"];
let close = () => {};
const works = JSON.parse(readFileSync(join(SAMPLE_CORPUS, "works.json"), "utf8")) as Array<{ title: string; image: string }>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "artsnob-upload-"));
  await buildCorpusDataDir({ corpusDir: SAMPLE_CORPUS, dir });
  const local = await localDeps("node", createLogger({}, "error"), { dataDir: dir, site: false, options: { requestLog: false } });
  close = local.close;
  app = createApp(local.deps).app;
});
after(() => {
  close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: BodyInit, type: string) => app.request("/api/similar/upload?limit=5", { method: "POST", headers: { "content-type": type, "sec-fetch-site": "same-origin" }, body });

test("an uploaded corpus image finds its own work first (raw body and multipart)", async () => {
  for (const i of [0, 57, 200]) {
    const bytes = readFileSync(join(SAMPLE_CORPUS, works[i]!.image));
    const raw = await post(new Uint8Array(bytes), "image/webp");
    assert.equal(raw.status, 200, await raw.clone().text());
    const body = (await raw.json()) as UploadSimilarResponse;
    assert.equal(body.items[0]!.title, works[i]!.title);
    assert.ok(body.items[0]!.score > 0.95);
    const form = new FormData();
    form.set("image", new Blob([new Uint8Array(bytes)], { type: "image/webp" }), "x.webp");
    const multi = await app.request("/api/similar/upload?limit=5", { method: "POST", headers: { "sec-fetch-site": "same-origin" }, body: form });
    assert.equal(((await multi.json()) as UploadSimilarResponse).items[0]!.id, body.items[0]!.id);
  }
});

test("bad uploads: not an image 415, empty 400, too large 413, undecodable 422, wrong type 415", async () => {
  assert.equal((await post(new Uint8Array([1, 2, 3, 4]), "image/png")).status, 415);
  assert.equal((await post(new Uint8Array(0), "image/png")).status, 400);
  assert.equal((await post(new Uint8Array(6 * 1024 * 1024), "image/png")).status, 413);
  const truncatedPng = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  assert.equal((await post(truncatedPng, "image/png")).status, 422);
  assert.equal((await post("hello", "text/plain")).status, 415);
  const form = new FormData();
  form.set("other", "x");
  assert.equal((await app.request("/api/similar/upload", { method: "POST", headers: { "sec-fetch-site": "same-origin" }, body: form })).status, 400);
  assert.equal(imageKind(new TextEncoder().encode("GIF89a......")), "gif");
});

test("a remote embedder (id known only after it answers): matching index works, a mismatch is 501, an outage 503", async () => {
  const local = await localDeps("node", createLogger({}, "error"), { dataDir: dir, site: false, options: { requestLog: false } });
  const classic = local.deps.imageEmbedder!;
  const remoteLike = (answerId: string, fail = false) => {
    let id = "";
    return {
      get id() {
        return id;
      },
      async embedImages(images: Uint8Array[]) {
        if (fail) throw new EmbedderUnavailable("service unreachable");
        id = answerId;
        return answerId === classic.id ? classic.embedImages(images) : images.map(() => new Float32Array(8));
      },
    };
  };
  const bytes = new Uint8Array(readFileSync(join(SAMPLE_CORPUS, works[10]!.image)));
  const upload = async (embedder: ReturnType<typeof remoteLike>) => {
    const edge = createApp({ ...local.deps, imageEmbedder: embedder }).app;
    return edge.request("/api/similar/upload?limit=3", { method: "POST", headers: { "content-type": "image/webp" }, body: bytes });
  };
  try {
    const ok = await upload(remoteLike(classic.id));
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as UploadSimilarResponse).items[0]!.title, works[10]!.title);
    const other = remoteLike("clip:some-model");
    const mismatch = await upload(other);
    assert.equal(mismatch.status, 501);
    assert.equal(((await mismatch.json()) as { error: { code: string } }).error.code, "embedder_mismatch");
    assert.equal((await upload(other)).status, 501, "known id: refused before calling");
    const down = await upload(remoteLike(classic.id, true));
    assert.equal(down.status, 503);
    assert.equal(((await down.json()) as { error: { code: string } }).error.code, "image_encoder_unavailable");
  } finally {
    local.close();
  }
});
