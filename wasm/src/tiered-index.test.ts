// The two-tier index (IVF + RaBitQ codes in WASM, rerank tier in memory or by byte ranges) against the
// plain-TS reference: exact agreement in exact mode, kernel estimates = reference estimates, recall in
// default mode, file validation, and bad input. Deno and workerd run the same cases (their own tests).
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { buildIndexFiles } from "./build-index.ts";
import { ensureWasmBuilt } from "./build-for-tests.ts";
import { clusteredRows, clusteredSpec } from "./clustered-data.ts";
import { VectorInputError, type VectorCore } from "./index.ts";
import { loadVectorCore } from "./load-node.ts";
import { ReferenceTiered } from "./reference-tiered.ts";
import { RERANK_HEADER_BYTES } from "./rerank-format.ts";
import { bucketRangeReader } from "./rerank-source.ts";
import { buildCase, memoryReader, runTieredCases, type Built } from "./tiered-cases.ts";
import { loadTieredIndex, unitQuery } from "./tiered-index.ts";
import { IndexFormatError, TIER_HEADER_BYTES } from "./tiered-format.ts";

let core: VectorCore;
before(async () => {
  ensureWasmBuilt();
  core = await loadVectorCore();
});

for (const [count, dim, element] of [[2500, 96, "f16"], [3000, 512, "i8s"], [700, 200, "f16"]] as const) {
  test(`tiered ${count} × ${dim} (${element}): every query kind agrees with the reference`, async () => {
    const b = await buildCase(core, count, dim, element);
    const { problems, results } = await runTieredCases(core, b);
    assert.deepEqual(problems, []);
    // Default (approximate) mode still finds most of the exact top-10 on clustered data.
    const overlaps = results.filter((r) => typeof (r as { approxOverlap?: number }).approxOverlap === "number").map((r) => (r as { approxOverlap: number }).approxOverlap);
    assert.ok(overlaps.reduce((a, b) => a + b, 0) / overlaps.length >= 8, `overlap ${overlaps}`);
  });
}

test("tiered: recall@10 vs exact float32 cosine ≥ 0.95 at default settings (10k × 512 clustered)", async () => {
  const n = 10_000, dim = 512;
  const spec = clusteredSpec(n, dim, 11);
  const data = clusteredRows(spec, n, 1), queries = clusteredRows(spec, 30, 2);
  const { files } = await buildIndexFiles(data, n, dim, { core, seed: 3 });
  const index = await loadTieredIndex(core, { "ivf-rabitq.bin": files["ivf-rabitq.bin"]!, "rerank.bin": files["rerank.bin"]! });
  const norms = Float64Array.from({ length: n }, (_, r) => Math.sqrt(data.subarray(r * dim, (r + 1) * dim).reduce((s, x) => s + x * x, 0)));
  let recall = 0;
  for (let q = 0; q < 30; q++) {
    const query = queries.subarray(q * dim, (q + 1) * dim);
    const exact: Array<[number, number]> = [];
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += data[r * dim + d]! * query[d]!;
      exact.push([s / norms[r]!, r]);
    }
    exact.sort((a, b) => b[0] - a[0]);
    const truth = new Set(exact.slice(0, 10).map((e) => e[1]));
    recall += (await index.search(query, 10)).filter((h) => truth.has(h.row)).length / 10;
  }
  assert.ok(recall / 30 >= 0.95, `recall ${recall / 30}`);
  assert.ok(index.residentBytes / n < 120, `resident ${index.residentBytes / n} B/item`);
  index.dispose();
});

let small: Built;
test("tiered: the rerank tier read by byte ranges gives the same hits, in few merged requests", async () => {
  small ??= await buildCase(core, 1500, 64);
  const inMemory = await loadTieredIndex(core, small.files);
  const log: Array<[number, number]> = [];
  const bucket = new Map([["v/rerank.bin", small.files["rerank.bin"]]]);
  const fakeBucket = { async get(key: string, range?: { offset: number; length: number }) {
    const b = bucket.get(key);
    if (!b) return null;
    if (range) log.push([range.offset, range.length]);
    return range ? b.slice(range.offset, range.offset + range.length) : b;
  } };
  const ranged = await loadTieredIndex(core, { "ivf-rabitq.bin": small.files["ivf-rabitq.bin"], "rerank.bin": bucketRangeReader(fakeBucket, "v/rerank.bin") });
  assert.equal(ranged.rerankResidentBytes, 0);
  for (let q = 0; q < 4; q++) {
    const query = small.queries.subarray(q * 64, (q + 1) * 64);
    assert.deepEqual(await ranged.search(query, 10), await inMemory.search(query, 10));
  }
  log.length = 0;
  await ranged.search(small.queries.subarray(0, 64), 10, { candidates: 200 });
  assert.ok(log.length < 200, `${log.length} range reads for 200 candidates`);
  // The compact tier streamed by ranges into WASM memory loads the same index.
  const streamed = await loadTieredIndex(core, { "ivf-rabitq.bin": memoryReader(small.files["ivf-rabitq.bin"]), "rerank.bin": small.files["rerank.bin"] });
  assert.equal(streamed.residentBytes, inMemory.residentBytes);
  assert.deepEqual(await streamed.search(small.queries.subarray(0, 64), 10), await inMemory.search(small.queries.subarray(0, 64), 10));
  const missing = await loadTieredIndex(core, { "ivf-rabitq.bin": small.files["ivf-rabitq.bin"], "rerank.bin": bucketRangeReader(fakeBucket, "v/rerank.bin") });
  bucket.clear();
  await assert.rejects(missing.search(small.queries.subarray(0, 64), 5), IndexFormatError);
});

test("tiered: builds are deterministic (same input and seed → same bytes)", async () => {
  const spec = clusteredSpec(800, 40, 2);
  const data = clusteredRows(spec, 800, 1);
  const a = await buildIndexFiles(data, 800, 40, { core, seed: 9 });
  const b = await buildIndexFiles(data, 800, 40, { seed: 9 }); // pure-TS assignment path
  assert.deepEqual(a.files["rerank.bin"], b.files["rerank.bin"]);
  assert.equal(a.meta.nlist, b.meta.nlist);
  const c = await buildIndexFiles(data, 800, 40, { core, seed: 9 });
  assert.deepEqual(a.files["ivf-rabitq.bin"], c.files["ivf-rabitq.bin"]);
});

test("tiered: corrupt, truncated, mismatched or foreign files are clear IndexFormatErrors", async () => {
  small ??= await buildCase(core, 1500, 64);
  const tier = small.files["ivf-rabitq.bin"], rerank = small.files["rerank.bin"];
  const load = (t: Uint8Array | ReturnType<typeof memoryReader>, r: Uint8Array | ReturnType<typeof memoryReader>) => loadTieredIndex(core, { "ivf-rabitq.bin": t, "rerank.bin": r });
  const flip = (bytes: Uint8Array, at: number) => { const c = bytes.slice(); c[at] = c[at]! ^ 0x40; return c; };
  const cases: Array<[string, Promise<unknown>, RegExp]> = [
    ["empty tier", load(new Uint8Array(0), rerank), /truncated header/],
    ["truncated tier", load(tier.subarray(0, tier.length - 16), rerank), /expected \d+ bytes/],
    ["bad magic", load(flip(tier, 0), rerank), /bad magic/],
    ["future version", load(flip(tier, 5), rerank), /unsupported version/],
    ["flipped code bit", load(flip(tier, tier.length - 5), rerank), /checksum/],
    ["flipped header count", load(flip(tier, 9), rerank), /expected \d+ bytes|partition/],
    ["truncated rerank", load(tier, rerank.subarray(0, rerank.length - 1)), /expected \d+ bytes/],
    ["corrupt rerank", load(tier, flip(rerank, RERANK_HEADER_BYTES + 7)), /checksum/],
    ["truncated streamed tier", load(memoryReader(tier.subarray(0, tier.length - 16)), rerank), /expected \d+ bytes/],
    ["corrupt streamed tier", load(memoryReader(flip(tier, tier.length - 100)), rerank), /checksum/],
    ["truncated ranged rerank", load(tier, memoryReader(rerank.subarray(0, rerank.length - 64))), /expected \d+ bytes/],
    ["rerank of another build", load(tier, (await buildCase(core, 1400, 64)).files["rerank.bin"]), /different builds/],
    ["vectors.i8 instead of rerank.bin", load(tier, new Uint8Array(32)), /bad magic/],
  ];
  for (const [name, promise, message] of cases) await assert.rejects(promise, (err: Error) => err instanceof IndexFormatError && message.test(err.message), name);
  assert.ok(TIER_HEADER_BYTES === 64);
  // Checksum skipped on request (the manifest's sha256 already covers the file): structural checks still run.
  await assert.rejects(loadTieredIndex(core, { "ivf-rabitq.bin": tier.subarray(0, 100), "rerank.bin": rerank }, { verifyChecksum: false }), IndexFormatError);
});

test("tiered: bad queries are VectorInputErrors", async () => {
  small ??= await buildCase(core, 1500, 64);
  const index = await loadTieredIndex(core, small.files);
  const q = small.queries.subarray(0, 64);
  const bad: Array<[string, () => Promise<unknown>]> = [
    ["wrong dim", () => index.search(new Float32Array(63), 5)],
    ["NaN", () => index.search(new Float32Array(64).fill(NaN), 5)],
    ["zero", () => index.search(new Float32Array(64), 5)],
    ["k", () => index.search(q, 1001)],
    ["nprobe", () => index.search(q, 5, { nprobe: 0 })],
    ["candidates", () => index.search(q, 5, { candidates: 1.5 })],
    ["exclude row", () => index.search(q, 5, { exclude: [1500] })],
    ["liked row", () => index.searchByExamples([-1], [], 5)],
    ["no examples", () => index.searchByExamples([], [], 5)],
    ["lambda", () => index.searchByExamples([1], [2], 5, { lambda: -1 })],
    ["artist cap without artists", () => index.search(q, 5, { diversity: { maxPerArtist: 1 } })],
    ["mmr range", () => index.search(q, 5, { diversity: { mmrLambda: 2 } })],
    ["score rows", () => index.score(q, [0, 99999])],
  ];
  for (const [name, run] of bad) await assert.rejects(Promise.resolve().then(run), VectorInputError, name);
  assert.deepEqual(await index.search(q, 0), []);
  assert.deepEqual(await index.search(q, 5, { allow: [] }), []);
  index.dispose();
  await assert.rejects(Promise.resolve().then(() => index.search(q, 5)), /disposed/);
});

test("tiered: an empty index loads and answers nothing", async () => {
  const { files } = await buildIndexFiles(new Float32Array(0), 0, 32, { core });
  const index = await loadTieredIndex(core, { "ivf-rabitq.bin": files["ivf-rabitq.bin"]!, "rerank.bin": files["rerank.bin"]! });
  assert.deepEqual(await index.search(new Float32Array(32).fill(1), 5), []);
  const ref = new ReferenceTiered(files["ivf-rabitq.bin"]!, files["rerank.bin"]!);
  assert.deepEqual(ref.search(unitQuery(new Float32Array(32).fill(1), 32), 5), []);
});
