// The production edge path, rehearsed locally: a real batch export (pipeline over the fixture shop)
// is published into local R2 by scripts/deploy/publish.ts, the Worker (wrangler.toml, real workerd)
// loads it from R2 and reads the DB over libsql HTTP (the Turso stand-in), and for the same requests
// it gives the same JSON — and the same image bytes and cache headers — as the Node server that reads
// the batch's own directory bucket and DB file.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { ArtworkSummary } from "../../common/domain.ts";
import { createLogger } from "../../common/log.ts";
import { startServer, type RunningServer } from "../../edge/adapter/node.ts";
import { exportFixtureShop, type FixtureExport } from "../../scripts/deploy/fixture-export.ts";
import { startLocalEdge, type LocalEdge } from "../../scripts/deploy/local-edge.ts";
import { publish, type PublishResult } from "../../scripts/deploy/publish.ts";
import { ensureWasmBuilt } from "../../wasm/src/build-for-tests.ts";

const dir = mkdtempSync(join(tmpdir(), "artsnob-worker-r2-"));
let batch: FixtureExport;
let edge: LocalEdge;
let node: RunningServer;
let published: PublishResult;
const timings: Record<string, number> = {};

before(async () => {
  ensureWasmBuilt();
  let t = Date.now();
  batch = await exportFixtureShop(join(dir, "data"), 40);
  timings.batchMs = Date.now() - t;
  t = Date.now();
  edge = await startLocalEdge({ dbPath: batch.dbPath, persistTo: join(dir, "wrangler"), vars: { ARTIFACT_POINTER_TTL_MS: "0" } });
  timings.workerStartMs = Date.now() - t;
  t = Date.now();
  published = await publish({ from: batch.bucket, to: edge.r2, log: createLogger({}, "error") });
  timings.publishMs = Date.now() - t;
  node = await startServer({ port: 0, dataDir: batch.dataDir, site: false, logger: createLogger({}, "error"), options: { requestLog: false } });
});

after(async () => {
  await edge?.close();
  await node?.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ measured: timings }));
});

async function json(base: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(base + path);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: compare the text */
  }
  return { status: res.status, body };
}

test("publish copies the export's version, images first and the pointer last", () => {
  const version = batch.summary.version;
  assert.ok(version, "the batch published a version");
  assert.equal(published.version, version);
  assert.equal(published.flipped, true);
  assert.ok(published.artifactFiles >= 4, `files: ${published.artifactFiles}`);
  assert.ok(published.imagesCopied >= 40 * 3, `images: ${published.imagesCopied}`);
});

const loads = () => edge.logs.filter((l) => l.includes('"msg":"artifacts loaded"'));

test("the Worker reading R2 answers like the Node server reading the batch's bucket", async () => {
  assert.equal(loads().length, 0, "lazy: nothing loaded before the first request");
  const t = Date.now();
  const nodeHealth = (await json(node.url, "/api/health")).body as { artifacts: { version: string; count: number } };
  const workerHealth = (await json(edge.url, "/api/health")).body as { runtime: string; status: string; artifacts: unknown; problems: string[] };
  assert.equal(workerHealth.runtime, "workerd");
  assert.equal(workerHealth.status, "ok", JSON.stringify(workerHealth.problems));
  assert.deepEqual(workerHealth.artifacts, nodeHealth.artifacts);

  const feed = (await json(node.url, "/api/feed?limit=12")).body as { items: Array<{ id: number; title: string }>; nextCursor: string | null };
  assert.ok(feed.items.length === 12);
  const ids = feed.items.map((w) => w.id);
  const word = feed.items[0]!.title.split(/\s+/).find((w) => w.length > 3) ?? feed.items[0]!.title;
  const paths = [
    "/api/feed?limit=12",
    ...(feed.nextCursor ? [`/api/feed?limit=12&cursor=${encodeURIComponent(feed.nextCursor)}`] : []),
    ...ids.slice(0, 6).map((id) => `/api/art/${id}`),
    ...ids.slice(0, 6).map((id) => `/api/art/${id}/similar?limit=8`),
    `/api/similar?ids=${ids[0]},${ids[1]}&not=${ids[2]}&limit=8`,
    `/api/search?q=${encodeURIComponent(word)}&limit=10`,
    "/api/tags",
    "/api/clusters",
    "/api/vibes",
    "/api/map",
    "/api/feed/explore?limit=12&seed=7",
    "/api/art/999999",
    "/api/art/abc/similar",
  ];
  for (const path of paths) {
    const [a, b] = await Promise.all([json(edge.url, path), json(node.url, path)]);
    assert.equal(a.status, b.status, `${path}: status`);
    assert.deepEqual(a.body, b.body, `${path}: same JSON`);
  }
  // Once per isolate: every request above was served from the same loaded, verified set.
  assert.equal(loads().length, 1, loads().join("\n"));
  assert.match(loads()[0]!, new RegExp(`"version":"${batch.summary.version}"`));
  timings.compareRequests = paths.length;
  timings.compareMs = Date.now() - t;
});

test("images: same bytes and immutable caching from R2 as from the directory bucket", async () => {
  const feed = (await json(node.url, `/api/feed?limit=2`)).body as { items: ArtworkSummary[] };
  const urls = feed.items.flatMap((w) => [w.image.url, ...w.image.srcset.map((s) => s.url)]);
  assert.ok(urls.length >= 4 && urls.every((u) => u.startsWith("/img/")), JSON.stringify(feed.items[0]?.image));
  for (const path of urls.slice(0, 6)) {
    const [a, b] = await Promise.all([fetch(edge.url + path), fetch(node.url + path)]);
    assert.equal(a.status, 200, path);
    assert.deepEqual(new Uint8Array(await a.arrayBuffer()), new Uint8Array(await b.arrayBuffer()), `${path}: bytes`);
    assert.equal(a.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(a.headers.get("cache-control"), b.headers.get("cache-control"));
    assert.equal(a.headers.get("content-type"), b.headers.get("content-type"));
    // Content-addressed name: the path holds the sha256 of the original image.
    assert.match(path, /^\/img\/[0-9a-f]{2}\/[0-9a-f]{64}\/[a-z0-9]+\.[a-z]+$/);
    const again = await fetch(edge.url + path, { headers: { "if-none-match": a.headers.get("etag")! } });
    assert.equal(again.status, 304);
    await again.arrayBuffer();
  }
});
