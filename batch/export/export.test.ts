// Export stage: versions named by their inputs, keep-N pruning, refusal of mismatched inputs
// with the published set left intact.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readArtifactSet, readPointer } from "../../common/artifacts/read.ts";
import { runPipeline } from "../pipeline.ts";
import { classicEmbedder } from "../pipeline-embedder.ts";
import { createTestEnv, familyOf, quietLog, testPipeline, type TestEnv } from "../pipeline-testkit.ts";
import { artifactVersions, artworks } from "../../common/db/schema.ts";
import { artifactKey } from "../../common/bucket/keys.ts";
import { PALETTE_DIM, PALETTE_ID } from "../features/descriptor.ts";
import { activeWorks, encodeFeature, featureKey } from "../features/store.ts";
import { COLOURS_FILE, type ColoursJson } from "./colours.ts";

let env: TestEnv;
const pipeline = testPipeline({ export: { keep: 2 }, reduce: { epochs: 50 } });
const run = (o: Parameters<typeof runPipeline>[0] = {}) => runPipeline({ db: env.db, bucket: env.bucket, embedder: classicEmbedder(), pipeline, log: quietLog, progress: false, env: {}, ...(o.only ? {} : { from: "embed" }), ...o });

before(async () => (env = await createTestEnv()));
after(async () => env?.close());

test("each change is a new version; only the newest `keep` survive; unchanged inputs publish nothing", async () => {
  await env.addWorks(30);
  const versions: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await run();
    assert.equal(r.published, true);
    assert.ok(!versions.includes(r.version!));
    versions.push(r.version!);
    await env.addWorks(1);
  }
  const left = new Set<string>();
  for await (const o of env.bucket.list("artifacts/v/")) left.add(o.key.split("/")[2]!);
  assert.deepEqual([...left].sort(), versions.slice(-2).sort());
  const rows = await env.db.select().from(artifactVersions);
  assert.equal(rows.find((r) => r.version === versions[0])?.status, "retired");
  assert.equal(rows.filter((r) => r.status === "published").map((r) => r.version).join(), versions.at(-1));
  const r4 = await run(); // the work added after the last run
  const r5 = await run();
  assert.equal(r4.published, true);
  assert.equal(r5.published, false);
  assert.equal(r5.version, r4.version);
});

test("stage outputs from another feature matrix are refused and the published set stays intact", async () => {
  const pointer = (await readPointer(env.bucket))!;
  await env.addWorks(1);
  await run({ only: "embed" });
  await run({ only: "embed-merge" });
  // neighbours, reduce and random still describe the previous works.
  await assert.rejects(run({ only: "export" }), /neighbours output was built from another feature matrix; rerun --from neighbours/);
  assert.deepEqual(await readPointer(env.bucket), pointer);
  await readArtifactSet(env.bucket, pointer); // still complete and verified
  const fixed = await run({ from: "neighbours" });
  assert.equal(fixed.published, true);
});

test("colours.json names each work's dominant colours (classic-v2 has none), cached per image hash", async () => {
  const r = await run({ from: "neighbours" });
  const pointer = (await readPointer(env.bucket))!;
  assert.equal(pointer.version, r.version);
  const set = await readArtifactSet(env.bucket, pointer);
  assert.notEqual(set.manifest.embedder.id, "classic-v1");
  const entry = set.manifest.files[COLOURS_FILE];
  assert.ok(entry, "colours.json is in the manifest");
  const file = JSON.parse(new TextDecoder().decode((await env.bucket.get(artifactKey(pointer.version, entry.path)))!)) as ColoursJson;
  assert.equal(file.rows.length, set.manifest.count);
  const titles = new Map((await env.db.select({ id: artworks.id, title: artworks.title }).from(artworks)).map((w) => [w.id, w.title]));
  const family = (id: number) => familyOf(Number(titles.get(id)!.slice(1)));
  const expected = ["red", "green", "blue", "yellow", "black", "white"];
  const namesOf = (mask: number) => file.names.filter((_, b) => mask & (1 << b));
  // A white background is taken as the paper (common/colours.ts), so white works are named by their square.
  set.ids.forEach((id, row) => family(id) === 5 || assert.ok(namesOf(file.rows[row]!).includes(expected[family(id)]!), `work ${id} (family ${family(id)}): ${namesOf(file.rows[row]!)}`));
  // The palette is read back from the per-image cache: a doctored cache entry shows in the next export.
  const hash = (await activeWorks(env.db)).find((w) => w.id === set.ids[0])!.imageHash;
  const key = featureKey(PALETTE_ID, hash);
  assert.ok(await env.bucket.get(key));
  const blue = new Float32Array(PALETTE_DIM);
  blue[7 * 3 + 2] = 1;
  await env.bucket.put(key, encodeFeature(blue));
  await env.addWorks(1);
  const next = await run();
  const set2 = await readArtifactSet(env.bucket, (await readPointer(env.bucket))!);
  assert.equal(set2.manifest.version, next.version);
  const file2 = JSON.parse(new TextDecoder().decode((await env.bucket.get(artifactKey(next.version!, COLOURS_FILE)))!)) as ColoursJson;
  assert.deepEqual(namesOf(file2.rows[set2.ids.indexOf(set.ids[0]!)]!), ["blue"]);
});
