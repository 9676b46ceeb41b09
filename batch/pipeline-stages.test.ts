// Per-stage tests on small synthetic data (real PNGs in a LocalBucket, a temp libsql file).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { asc } from "drizzle-orm";
import { artworkTags, pipelineRuns, tags as tagsTable } from "../common/db/schema.ts";
import { MAGIC, decodeBinary } from "../common/artifacts/format.ts";
import { readArtifactSet, readPointer } from "../common/artifacts/read.ts";
import { artifactKey } from "../common/bucket/keys.ts";
import { loadConfig } from "../common/config.ts";
import { runPipeline } from "./pipeline.ts";
import { classicEmbedder } from "./pipeline-embedder.ts";
import { countingEmbedder, createTestEnv, quietLog, testPipeline, type TestEnv } from "./pipeline-testkit.ts";
import { exactTopK, hnswTopK, NO_NEIGHBOUR } from "./features/neighbours.ts";
import { fitReduce, placeIncrementally, ReduceParams } from "./reduce/reduce.ts";
import { knnGraphFromNeighbours } from "./reduce/knn-graph.ts";
import { quantizeScores } from "./features/neighbours.ts";
import { createNormaliser, singular, tagLabel } from "./tags/normalise.ts";
import { scoreTags } from "./tags/scores.ts";
import { buildTags, TagsParams } from "./tags/tags.ts";
import { buildClusters, buildVibes, ClustersParams } from "./clusters/clusters.ts";
import { randomSelections } from "./random/random.ts";
import type { FeatureMatrix } from "./features/store.ts";
import { mulberry32 } from "./random/prng.ts";

let env: TestEnv;
const embedder = countingEmbedder(classicEmbedder());
const pipeline = testPipeline({ random: { selections: 5, size: 10 } });
const run = (o: Parameters<typeof runPipeline>[0]) => runPipeline({ db: env.db, bucket: env.bucket, embedder, pipeline, log: quietLog, progress: false, env: {}, config: loadConfig({ ARTSNOB_DATA_DIR: env.dataDir, LOG_LEVEL: "error" }), ...o });

before(async () => {
  env = await createTestEnv();
});
after(async () => env?.close());

/** Synthetic unit vectors in `families` tight clusters. */
function clustered(rows: number, dim: number, families: number, noise: number, seed = 3): FeatureMatrix {
  const r = mulberry32(seed);
  const centres = Array.from({ length: families }, () => Array.from({ length: dim }, () => r() - 0.5));
  const vectors = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    let n = 0;
    for (let d = 0; d < dim; d++) n += (vectors[i * dim + d] = centres[i % families]![d]! + noise * (r() - 0.5)) ** 2;
    for (let d = 0; d < dim; d++) vectors[i * dim + d]! /= Math.sqrt(n);
  }
  const ids = Uint32Array.from({ length: rows }, (_, i) => i + 1);
  return { descriptorId: "t", dim, ids, hashes: [...ids].map((i) => i.toString(16).padStart(64, "0")), vectors, missing: 0, inputHash: "x" };
}

test("embed: shards split the images, the merge waits for every shard, reruns embed only new works", async () => {
  await env.addWorks(60);
  await env.addWorks(1, { sameImageAs: 0 }); // another offer of work 0: same image, embedded once
  const a = await run({ only: "embed", shard: "0/2" });
  await assert.rejects(run({ only: "embed-merge" }), /embed shards 1\/2 have not finished/);
  const b = await run({ only: "embed", shard: "1/2" });
  assert.ok(a.embed!.computed > 10 && b.embed!.computed > 10, `${a.embed!.computed} + ${b.embed!.computed}`);
  assert.equal(a.embed!.computed + b.embed!.computed, 60);
  assert.equal(embedder.images, 60);
  // A sharded run without --only does the per-item stages only.
  const sharded = await run({ from: "embed", shard: "1/2" });
  assert.deepEqual(sharded.stages, ["embed"]);
  assert.equal(sharded.embed!.computed, 0);

  const full = await run({ from: "embed-merge" });
  assert.equal(full.published, true);
  // reduce declares neighbours as a need and takes its kNN graph from that table.
  assert.equal(full.reports.find((r) => r.stage === "reduce")!.stats.graph, "neighbours");
  const runs = await env.db.select().from(pipelineRuns).orderBy(asc(pipelineRuns.id));
  assert.ok(runs.some((r) => r.stage === "embed" && r.shard === "1/2" && r.status === "done"));
  assert.ok(runs.some((r) => r.stage === "embed-merge" && r.status === "failed"));
  assert.ok(runs.filter((r) => r.stage === "export").every((r) => r.status === "done" && r.inputHash));

  // +2 works (3%): only they are embedded; the map keeps old coordinates and places the new ones.
  const before = embedder.images;
  const oldSet = await readArtifactSet(env.bucket, (await readPointer(env.bucket))!);
  const oldMap = decodeBinary((await env.bucket.get(artifactKey(oldSet.manifest.version, "map.f32")))!, MAGIC.map);
  await env.addWorks(2);
  const inc = await run({ from: "embed" });
  assert.equal(inc.embed!.computed, 2);
  assert.equal(embedder.images - before, 2);
  assert.equal(inc.published, true);
  const reduce = inc.reports.find((r) => r.stage === "reduce")!;
  assert.equal(reduce.stats.mode, "placed");
  const set = await readArtifactSet(env.bucket, (await readPointer(env.bucket))!);
  assert.equal(set.ids.length, 63);
  const map = decodeBinary((await env.bucket.get(artifactKey(set.manifest.version, "map.f32")))!, MAGIC.map);
  assert.deepEqual([...map.payload.subarray(0, oldMap.payload.length)], [...oldMap.payload], "existing works keep their map position");

  // Nothing changed: every stage is cached and nothing is published.
  const again = await run({ from: "embed" });
  assert.equal(again.published, false);
  assert.ok(again.reports.every((r) => r.cached), JSON.stringify(again.reports.map((r) => [r.stage, r.cached])));
});

test("export: the set verifies, every new file decodes and refers to valid rows", async () => {
  const pointer = (await readPointer(env.bucket))!;
  const set = await readArtifactSet(env.bucket, pointer);
  const rows = set.ids.length;
  const file = async (name: string) => (await env.bucket.get(artifactKey(pointer.version, name)))!;
  const json = async (name: string) => JSON.parse(new TextDecoder().decode(await file(name)));
  assert.deepEqual(Object.keys(set.manifest.files).sort(), ["clusters.json", "clusters.u32", "colours.json", "ids.u32", "ivf-rabitq.bin", "ivf-rabitq.json", "map.f32", "neighbours.i8", "neighbours.u32", "random.u32", "rerank.bin", "tags.json", "vectors.i8", "vibes.json"]);
  const meta = await json("ivf-rabitq.json");
  assert.deepEqual([meta.format, meta.count, meta.dim], ["ivf-rabitq", rows, set.manifest.dim]);
  assert.equal(set.k, 100);
  // Neighbours: self and same-image duplicates never listed; padded (63 works < K).
  const hashOf = new Map<number, number>();
  for (let r = 0; r < rows; r++) {
    const nn = [...set.neighbours.subarray(r * 100, r * 100 + 100)];
    assert.ok(!nn.includes(r));
    assert.equal(nn.filter((x) => x !== NO_NEIGHBOUR).length <= rows - 1, true);
    hashOf.set(r, r);
  }
  const row0 = [...set.neighbours.subarray(0, 100)];
  const dupRow = 60; // work 61 shares work 0's image
  assert.ok(!row0.includes(dupRow), "exact duplicate excluded");
  // The first neighbour is the most similar other image (checked against the exported vectors).
  const dim = set.manifest.dim;
  const dot = (a: number, b: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += set.vectors[a * dim + d]! * set.vectors[b * dim + d]!;
    return s / (set.vectorScale * set.vectorScale);
  };
  for (let r = 0; r < rows; r++) {
    let best = -Infinity;
    for (let c = 0; c < rows; c++) if (c !== r && !(r % 60 === 0 && c % 60 === 0 && c !== r && (r === 60 || c === 60))) best = Math.max(best, dot(r, c));
    assert.ok(set.neighbourScores[r * 100]! / set.neighbourScale >= Math.min(best, 0.995) - 0.03, `row ${r}`);
  }
  const map = decodeBinary(await file("map.f32"), MAGIC.map);
  assert.deepEqual([map.header.rows, map.header.cols], [rows, 2]);
  const xy = new Float32Array(map.payload.slice().buffer);
  assert.ok(xy.every((v) => v >= -0.5 && v <= 1.5));
  const clusterOf = new Uint32Array(decodeBinary(await file("clusters.u32"), MAGIC.clusterOf).payload.slice().buffer);
  const clusters = await json("clusters.json");
  assert.equal(clusters.clusters.length, clusters.k);
  const seen = new Set<number>();
  for (const c of clusters.clusters) {
    assert.ok(typeof c.label === "string" && c.label.length > 0);
    for (const r of c.rows) (assert.equal(clusterOf[r], c.id), seen.add(r));
  }
  assert.equal(seen.size, rows, "clusters partition the rows");
  const tags = await json("tags.json");
  assert.equal(tags.display.length, rows);
  const red = tags.tags.find((t: { name: string }) => t.name === "red");
  assert.ok(red && red.rows.length >= 10 && red.label === "Red");
  assert.ok(tags.tags.some((t: { name: string }) => t.name === "tree"), "plural normalised");
  const random = decodeBinary(await file("random.u32"), MAGIC.random);
  assert.deepEqual([random.header.rows, random.header.cols], [5, 10]);
  assert.ok(new Uint32Array(random.payload.slice().buffer).every((r) => r < rows));
  const vibes = await json("vibes.json");
  assert.equal(vibes.vibes.length, pipeline.vibes.length);
  const beach = vibes.vibes.find((v: { name: string }) => v.name === "Beachy Bohemian");
  assert.ok(beach.rows.length > 0 && beach.rows.every((r: number) => r < rows));
  // DB tables from the tags stage.
  const dbTags = await env.db.select().from(tagsTable);
  assert.ok(dbTags.some((t) => t.name === "red" && t.count >= 10));
  assert.ok((await env.db.select().from(artworkTags)).length >= rows);
});

test("neighbours: usearch HNSW + exact rerank matches the exact scan; self, duplicates and near-duplicates excluded", () => {
  const m = clustered(1500, 48, 15, 0.9);
  m.hashes[7] = m.hashes[3]!; // same image
  m.vectors.copyWithin(11 * 48, 5 * 48, 6 * 48); // a near-identical vector under another hash
  const p = { k: 20, candidates: 60, connectivity: 16, expansionSearch: 128, threads: 2 };
  const exact = exactTopK(m.vectors, m.dim, m.hashes, 20, 0.999);
  const approx = hnswTopK(m.vectors, m.dim, { hashes: m.hashes, nearDuplicate: 0.999 }, p);
  let hit = 0;
  for (let r = 0; r < 1500; r++) {
    const e = new Set(exact.index.subarray(r * 20, r * 20 + 10));
    for (const c of approx.index.subarray(r * 20, r * 20 + 10)) if (e.has(c)) hit++;
    const row = [...approx.index.subarray(r * 20, r * 20 + 20)];
    assert.ok(!row.includes(r));
    for (let j = 1; j < 20; j++) assert.ok(approx.score[r * 20 + j - 1]! >= approx.score[r * 20 + j]!);
  }
  assert.ok(hit / 15000 >= 0.95, `recall@10 ${hit / 15000}`);
  assert.ok(![...approx.index.subarray(3 * 20, 4 * 20)].includes(7) && ![...approx.index.subarray(7 * 20, 8 * 20)].includes(3));
  assert.ok(![...approx.index.subarray(5 * 20, 6 * 20)].includes(11) && ![...exact.index.subarray(11 * 20, 12 * 20)].includes(5));
});

test("reduce: UMAP over the usearch graph keeps clusters together; incremental placement keeps old points", async () => {
  const m = clustered(600, 32, 4, 0.6);
  const p = ReduceParams.parse({ epochs: 150, threads: 1 }); // one thread: the HNSW graph (and so the layout) is reproducible
  const r = await fitReduce(m, p);
  assert.equal(r.map.length, 1200);
  assert.equal(r.low.length, 600 * 8);
  const d = (a: number, b: number) => Math.hypot(r.map[a * 2]! - r.map[b * 2]!, r.map[a * 2 + 1]! - r.map[b * 2 + 1]!);
  let intra = 0;
  let inter = 0;
  for (let i = 0; i < 400; i++) (intra += d(i, i + 4)), (inter += d(i, i + 1));
  assert.ok(intra < 0.35 * inter, `intra ${intra.toFixed(2)} inter ${inter.toFixed(2)}`);
  // Same seed → same layout.
  assert.deepEqual([...(await fitReduce(m, p)).map.subarray(0, 20)], [...r.map.subarray(0, 20)]);
  const grown = clustered(606, 32, 4, 0.6);
  const inc = placeIncrementally(grown, r, p)!;
  assert.equal(inc.placed, 6);
  assert.deepEqual([...inc.reduced.map.subarray(0, 1200)], [...r.map]);
  for (let i = 600; i < 606; i++) {
    const dn = Math.hypot(inc.reduced.map[i * 2]! - r.map[(i - 8) * 2]!, inc.reduced.map[i * 2 + 1]! - r.map[(i - 8) * 2 + 1]!);
    assert.ok(dn < 0.2, `new row ${i} placed near its family (${dn.toFixed(2)})`);
  }
  assert.equal(placeIncrementally(clustered(700, 32, 4, 0.6), r, p), null, "too many new rows: refit");
});

test("reduce: the kNN graph from the neighbours table (self added, padding skipped, int8 scores) lays out clusters", async () => {
  const m = clustered(600, 32, 4, 0.6);
  // Near-duplicate threshold low enough that some rows lose neighbours and get padded.
  const table = exactTopK(m.vectors, m.dim, m.hashes, 20, 0.999);
  const g = knnGraphFromNeighbours(table, 15);
  assert.equal(g.k, 15);
  for (let r = 0; r < 600; r++) {
    assert.equal(g.indices[r * 15], r);
    assert.equal(g.distances[r * 15], 0);
    for (let j = 1; j < 15; j++) {
      assert.ok(g.indices[r * 15 + j]! >= 0 && g.indices[r * 15 + j]! < 600 && g.indices[r * 15 + j] !== r);
      assert.ok(g.distances[r * 15 + j]! >= g.distances[r * 15 + j - 1]!);
    }
  }
  // A tiny table with padding rows and an empty row: no crash, no out-of-range index, no self edge.
  const tiny = { rows: 3, k: 3, index: Uint32Array.from([1, NO_NEIGHBOUR, NO_NEIGHBOUR, 0, 2, NO_NEIGHBOUR, NO_NEIGHBOUR, NO_NEIGHBOUR, NO_NEIGHBOUR]), score: Float32Array.from([0.9, -Infinity, -Infinity, 0.9, 0.5, -Infinity, -Infinity, -Infinity, -Infinity]) };
  const tg = knnGraphFromNeighbours(tiny, 3);
  assert.deepEqual([...tg.indices], [0, 1, 1, 1, 0, 2, 2, 2, 2]);
  assert.ok(Math.abs(tg.distances[1]! - 0.1) < 1e-6);
  // The stage's int8 scores give the same neighbours in the same order.
  const q = knnGraphFromNeighbours({ ...table, score: quantizeScores(table.score, table.index) }, 15, 127);
  assert.deepEqual([...q.indices], [...g.indices]);
  const p = ReduceParams.parse({ epochs: 150, threads: 1 });
  const r = await fitReduce(m, p, undefined, q);
  const d = (a: number, b: number) => Math.hypot(r.map[a * 2]! - r.map[b * 2]!, r.map[a * 2 + 1]! - r.map[b * 2 + 1]!);
  let intra = 0;
  let inter = 0;
  for (let i = 0; i < 400; i++) (intra += d(i, i + 4)), (inter += d(i, i + 1));
  assert.ok(intra < 0.35 * inter, `intra ${intra.toFixed(2)} inter ${inter.toFixed(2)}`);
  assert.deepEqual([...(await fitReduce(m, p, undefined, q)).map], [...r.map], "deterministic");
});

test("tags: normalisation, the original's TF-IDF and weighted score, reverse index in rank order", () => {
  const norm = createNormaliser({ synonyms: { kitty: "cat", "b-w": "black-and-white" }, junk: ["hash", "clip art"], keepPlural: ["glass"] });
  assert.equal(norm("  Cats "), "cat");
  assert.equal(norm("Kitty"), "cat");
  assert.equal(norm("Butterflies"), "butterfly");
  assert.equal(norm("boxes"), "box");
  assert.equal(norm("Glass"), "glass");
  assert.equal(norm("Black and White"), "black-and-white");
  assert.equal(norm("B_W"), "black-and-white");
  assert.equal(norm("hash"), null);
  assert.equal(norm("Clip Art"), null);
  assert.equal(norm("1999"), null);
  assert.equal(singular("bus"), "bus");
  assert.equal(tagLabel("black-and-white"), "Black-And-White");
  // Two docs: idf(a) = ln(3/3)+1 = 1, idf(b) = ln(3/2)+1.
  const s = scoreTags([["a", "b"], ["a"]], { maxFeatures: 10, popularCount: 2 });
  const ib = Math.log(1.5) + 1;
  const a0 = 1 / Math.hypot(1, ib);
  assert.ok(Math.abs(s.tags.find((t) => t.name === "a")!.score - (a0 + 1) / 2) < 1e-9);
  assert.ok(Math.abs(s.tags.find((t) => t.name === "b")!.score - ib / Math.hypot(1, ib)) < 1e-9);
  const b = s.tags.find((t) => t.name === "b")!;
  const a = s.tags.find((t) => t.name === "a")!;
  assert.ok(b.weightedScore < a.weightedScore, "b is rarer (−5 below popularCount)");
  const out = buildTags(
    [
      { id: 1, tags: ["Cat", "animal", "orange"] },
      { id: 2, tags: ["cats"] },
      { id: 3, tags: ["cat", "animal"] },
    ],
    { synonyms: {}, junk: [], keepPlural: [] },
    TagsParams.parse({ minCountForDisplay: 1 }),
  );
  const cat = out.tags.find((t) => t.name === "cat")!;
  assert.equal(cat.count, 3);
  assert.deepEqual(cat.works, [2, 3, 1], "where cat weighs most first");
  assert.ok(out.display["1"]!.includes("cat"));
});

test("clusters: k-means over UMAP ‖ tags recovers planted groups, labels them by their tags; vibes pick them", async () => {
  const m = clustered(300, 32, 3, 0.5);
  const red = await fitReduce(m, ReduceParams.parse({ epochs: 100 }));
  const names = ["ocean", "forest", "night"];
  const tags = buildTags([...m.ids].map((id, i) => ({ id, tags: [names[i % 3]!, i % 2 ? "art" : "print"] })), { synonyms: {}, junk: [], keepPlural: [] }, TagsParams.parse({}));
  const c = buildClusters(red, tags, ClustersParams.parse({ clusters: 3 }));
  assert.equal(c.k, 3);
  for (const cl of c.clusters) {
    const fam = cl.members.map((id) => (id - 1) % 3);
    const major = [0, 1, 2].map((f) => fam.filter((x) => x === f).length).sort((a, b) => b - a)[0]!;
    assert.ok(major / cl.size >= 0.95, `purity ${major / cl.size}`);
    assert.equal(cl.topTags[0], names[(cl.members[0]! - 1) % 3]);
    assert.match(cl.label, /^(Ocean|Forest|Night)/);
  }
  const vibes = buildVibes([{ name: "Beach", tagline: "", tags: ["Oceans"], clusters: [] }], { synonyms: {}, junk: [], keepPlural: [] }, c, tags, ClustersParams.parse({ vibeWorks: 5 }));
  assert.equal(vibes[0]!.representative.length, 5);
  assert.ok(vibes[0]!.representative.every((id) => (id - 1) % 3 === 0), "representative works carry the vibe's tag");
});

test("random: seeded, stable, and a new work changes a selection only where it ranks in", () => {
  const ids = Array.from({ length: 1000 }, (_, i) => i + 1);
  const p = { selections: 20, size: 25, seed: 9 };
  const a = randomSelections(ids, p);
  assert.deepEqual(a, randomSelections(ids, p));
  assert.equal(new Set(a.subarray(0, 25)).size, 25);
  assert.notDeepEqual([...a.subarray(0, 25)], [...a.subarray(25, 50)]);
  const b = randomSelections([...ids, 5000], p);
  for (let s = 0; s < 20; s++) {
    const before = new Set(a.subarray(s * 25, s * 25 + 25));
    const changed = [...b.subarray(s * 25, s * 25 + 25)].filter((x) => !before.has(x));
    assert.ok(changed.length === 0 || (changed.length === 1 && changed[0] === 5000));
  }
  assert.deepEqual([...randomSelections([1, 2], { selections: 1, size: 4, seed: 1 })].slice(2), [0xffffffff, 0xffffffff]);
});
