// The colour filter on a real export: the batch pipeline (classic-v2, hue-invariant, so no colour block
// in the vectors) publishes colours.json, and /api/search?colour=red finds exactly the red works.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { HybridSearchResponse } from "../../common/api-reads.ts";
import { sha256Hex } from "../../common/artifacts/format.ts";
import { MANIFEST_FILE, readArtifactSet, readPointer } from "../../common/artifacts/read.ts";
import { CURRENT_POINTER_KEY, artifactKey } from "../../common/bucket/keys.ts";
import { artworks } from "../../common/db/schema.ts";
import { runPipeline } from "../../batch/pipeline.ts";
import { classicEmbedder } from "../../batch/pipeline-embedder.ts";
import { createTestEnv, familyOf, quietLog, testPipeline, type TestEnv } from "../../batch/pipeline-testkit.ts";
import { localDeps } from "../adapter/local.ts";
import { createApp } from "../app.ts";

let env: TestEnv;
let app: ReturnType<typeof createApp>["app"];
let close = () => {};
const red = new Set<number>();

before(async () => {
  env = await createTestEnv();
  await env.addWorks(18, { tags: () => ["poster"] });
  const r = await runPipeline({ db: env.db, bucket: env.bucket, embedder: classicEmbedder(), pipeline: testPipeline({ reduce: { epochs: 50 } }), log: quietLog, progress: false, env: {}, from: "embed" });
  assert.equal(r.published, true);
  for (const w of await env.db.select({ id: artworks.id, title: artworks.title }).from(artworks)) if (familyOf(Number(w.title.slice(1))) === 0) red.add(w.id);
  const local = await localDeps("node", quietLog, { dataDir: env.dir, databaseUrl: `file:${env.dir}/db.sqlite`, bucket: env.bucket, site: false, options: { requestLog: false } });
  close = local.close;
  app = createApp(local.deps).app;
});
after(async () => {
  close();
  await env?.close();
});

const search = async (query: string) => {
  const res = await app.request(`/api/search?${query}`);
  return { status: res.status, body: (await res.json()) as HybridSearchResponse & { error?: { code: string } } };
};

test("colour=red finds the red works of a classic-v2 export through colours.json", async () => {
  const set = await readArtifactSet(env.bucket, (await readPointer(env.bucket))!);
  assert.equal(set.manifest.embedder.id.startsWith("classic-v1"), false);
  const all = await search("q=poster&limit=100");
  assert.equal(all.status, 200);
  assert.equal(all.body.items.length, 18);
  const r = await search("q=poster&colour=red&limit=100");
  assert.equal(r.status, 200);
  assert.equal(red.size, 3);
  assert.deepEqual(new Set(r.body.items.map((w) => w.id)), red);
  const g = await search("q=poster&colour=green&limit=100");
  assert.equal(g.status, 200);
  assert.ok(g.body.items.length > 0 && g.body.items.every((w) => !red.has(w.id)));
});

test("without colours.json a non-classic-v1 set answers 400 filter_unavailable", async () => {
  // Re-publish the same set minus colours.json (a set exported before this file existed).
  const pointer = (await readPointer(env.bucket))!;
  const manifest = JSON.parse(new TextDecoder().decode((await env.bucket.get(artifactKey(pointer.version, MANIFEST_FILE)))!));
  delete manifest.files["colours.json"];
  const version = `${pointer.version}-nocolours`;
  manifest.version = version;
  const bytes = JSON.stringify(manifest);
  for (const f of Object.values(manifest.files) as Array<{ path: string }>) await env.bucket.put(artifactKey(version, f.path), (await env.bucket.get(artifactKey(pointer.version, f.path)))!);
  await env.bucket.put(artifactKey(version, MANIFEST_FILE), bytes);
  await env.bucket.put(CURRENT_POINTER_KEY, JSON.stringify({ version, manifestSha256: await sha256Hex(bytes), publishedAt: new Date().toISOString() }));
  await new Promise((r) => setTimeout(r, 2100)); // the edge re-reads the pointer at most every 2 s
  const r = await search("q=poster&colour=red&limit=100");
  assert.equal(r.status, 400);
  assert.equal(r.body.error?.code, "filter_unavailable");
});
