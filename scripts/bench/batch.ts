// `npm run bench:batch`: batch pipeline benchmarks. Prints progress lines, then one JSON line:
//   umap_100k_s        kNN graph taken from the neighbours table (first 15 columns, what the reduce
//                      stage does) + UMAP to 2-d (the collection map) of 100k × 512 clustered vectors;
//                      the neighbours table itself is timed separately as neighbours_100k_s
//   umap_graph_from_neighbours_s  the graph extraction alone (part of umap_100k_s)
//   reduce_100k_s      the whole reduce computation: graph from neighbours + 2-d map + low-dim UMAP
//   umap_js_20k_s      plain umap-js (its own kNN) on the first 20k of the same vectors, 2-d — the peer
//   hnsw_100k_s        usearch HNSW build over 100k × 512 (f32, M=16) + 15-NN query of every row
//                      (reduce's fallback graph when no neighbours output exists)
//   neighbours_100k_s  neighbours stage computation: HNSW + 140 candidates + exact rerank, K=100
//   neighbours_recall  recall@10 of that against exact search on 200 sampled rows
//   corpus_e2e_s       full pipeline (crawl → export) over the real corpus in the fixture shop
//   incremental_ratio  run after adding 1% of works / full run, same corpus
// Flags: --rows N (default 100000) --peer-rows N (20000) --corpus DIR (default .cache/corpus/full,
// else the committed sample) --skip-synthetic --skip-corpus --skip-peer --skip-hnsw-graph
// --umap-only (= neighbours + graph + 2-d UMAP only: skips the fallback graph, reduce_100k_s,
// recall, peer and corpus).
// Run heavy benchmarks under `flock /tmp/artsnob-bench.lock npm run bench:batch`.
import { existsSync } from "node:fs";
import { mkdtemp, rm, symlink, writeFile, readFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UMAP } from "umap-js";
import { knnGraph, knnGraphFromNeighbours } from "../../batch/reduce/knn-graph.ts";
import { fitReduce, ReduceParams } from "../../batch/reduce/reduce.ts";
import { pcaProject } from "../../batch/reduce/pca.ts";
import { umapFromGraph } from "../../batch/reduce/umap.ts";
import { exactTopK, hnswTopK, NeighboursParams, quantizeScores } from "../../batch/features/neighbours.ts";
import { I8_SCALE } from "../../common/artifacts/format.ts";
import { mulberry32 } from "../../batch/random/prng.ts";
import { runPipeline } from "../../batch/pipeline.ts";
import { loadConfig } from "../../common/config.ts";
import { createLogger } from "../../common/log.ts";
import { startFixtureShop } from "../../test/fixtures/shop/server.ts";
import { DEFAULT_CORPUS_DIR } from "../../test/fixtures/shop/server.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    "peer-rows": { type: "string", default: "20000" },
    corpus: { type: "string" },
    "skip-synthetic": { type: "boolean" },
    "skip-corpus": { type: "boolean" },
    "skip-peer": { type: "boolean" },
    "skip-hnsw-graph": { type: "boolean" },
    "umap-only": { type: "boolean" },
  },
});
const UMAP_ONLY = values["umap-only"] === true;
const ROWS = Number(values.rows);
const PEER = Number(values["peer-rows"]);
const DIM = 512;
const out: Record<string, unknown> = { rows: ROWS, dim: DIM };
const secs = (t0: number) => Math.round((performance.now() - t0) / 100) / 10;
const note = (msg: string, extra: Record<string, unknown> = {}) => console.log(JSON.stringify({ bench: "batch", msg, ...extra }));

/** Clustered unit vectors: 500 centres, gaussian-ish noise, so the kNN graph has real structure. */
function clusteredVectors(rows: number, dim: number, seed = 11): Float32Array {
  const r = mulberry32(seed);
  const gauss = () => (r() + r() + r() + r() - 2) * 1.22;
  const centres = Array.from({ length: 500 }, () => Float32Array.from({ length: dim }, gauss));
  const v = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const c = centres[Math.floor(r() * 500)]!;
    let n = 0;
    for (let d = 0; d < dim; d++) n += (v[i * dim + d] = c[d]! + 1.1 * gauss()) ** 2;
    n = Math.sqrt(n);
    for (let d = 0; d < dim; d++) v[i * dim + d]! /= n;
  }
  return v;
}

if (!values["skip-synthetic"]) {
  let t = performance.now();
  const v = clusteredVectors(ROWS, DIM);
  note("vectors generated", { s: secs(t) });
  const ids = Uint32Array.from({ length: ROWS }, (_, i) => i + 1);
  const hashes = [...ids].map((i) => i.toString(16).padStart(64, "0"));

  // The neighbours stage first: reduce takes its kNN graph from this table.
  const np = NeighboursParams.parse({});
  t = performance.now();
  const table = hnswTopK(v, DIM, { hashes, nearDuplicate: np.nearDuplicate }, np);
  out.neighbours_100k_s = secs(t);
  note("neighbours K=100", { s: out.neighbours_100k_s });

  // What the reduce stage does: graph from the stored (int8-quantised) table, then the 2-d layout.
  const p = ReduceParams.parse({});
  const q = quantizeScores(table.score, table.index);
  t = performance.now();
  const graph = knnGraphFromNeighbours({ rows: ROWS, k: table.k, index: table.index, score: q }, p.graphK, I8_SCALE);
  out.umap_graph_from_neighbours_s = secs(t);
  note("kNN graph from the neighbours table", { s: out.umap_graph_from_neighbours_s, k: graph.k });

  t = performance.now();
  const init = pcaProject(v, ROWS, DIM, 2, p.seed);
  umapFromGraph(ROWS, graph, { dims: 2, minDist: p.minDist, seed: p.seed + 2, init });
  out.umap_100k_2d_only_s = secs(t);
  out.umap_100k_s = Math.round(((out.umap_graph_from_neighbours_s as number) + (out.umap_100k_2d_only_s as number)) * 10) / 10;
  note("umap 2-d (typed engine, PCA start)", { s: out.umap_100k_2d_only_s, with_graph_s: out.umap_100k_s });

  if (!UMAP_ONLY && !values["skip-hnsw-graph"]) {
    // The fallback (no neighbours output): a usearch index just for the 15-NN graph.
    t = performance.now();
    knnGraph(v, DIM, ROWS, 15, 2);
    out.hnsw_100k_s = secs(t);
    note("fallback: hnsw + 15-NN graph", { s: out.hnsw_100k_s });
  }

  if (!UMAP_ONLY) {
    t = performance.now();
    const m = { descriptorId: "bench", dim: DIM, ids, hashes, vectors: v, missing: 0, inputHash: "bench" };
    await fitReduce(m, p, undefined, graph);
    out.reduce_100k_s = Math.round((secs(t) + (out.umap_graph_from_neighbours_s as number)) * 10) / 10;
    note("reduce: graph from neighbours + 2-d + low-dim", { s: out.reduce_100k_s });

    // Recall@10 against exact search on a sample of rows.
    const sample = Array.from({ length: 200 }, (_, i) => Math.floor((i * ROWS) / 200));
    let hit = 0;
    for (const q of sample) {
      const scores: Array<[number, number]> = [];
      for (let c = 0; c < ROWS; c++) {
        if (c === q) continue;
        let s = 0;
        for (let d = 0; d < DIM; d++) s += v[q * DIM + d]! * v[c * DIM + d]!;
        if (s < np.nearDuplicate) scores.push([s, c]);
      }
      scores.sort((a, b) => b[0] - a[0]);
      const truth = new Set(scores.slice(0, 10).map(([, c]) => c));
      for (const c of table.index.subarray(q * np.k, q * np.k + 10)) if (truth.has(c)) hit++;
    }
    out.neighbours_recall_at_10 = hit / (sample.length * 10);
    note("neighbours recall", { recall_at_10: out.neighbours_recall_at_10 });
  }
  void exactTopK;

  if (!values["skip-peer"] && !UMAP_ONLY) {
    const rows = Math.min(PEER, ROWS);
    const X: number[][] = Array.from({ length: rows }, (_, i) => Array.from(v.subarray(i * DIM, (i + 1) * DIM)));
    t = performance.now();
    new UMAP({ nComponents: 2, nNeighbors: 15, minDist: p.minDist, random: mulberry32(1) }).fit(X);
    out.umap_js_20k_s = secs(t);
    note("plain umap-js 2-d (own kNN)", { rows, s: out.umap_js_20k_s });
    // Our engine on the same 20k, for a like-for-like ratio.
    t = performance.now();
    const sub = v.subarray(0, rows * DIM);
    const g = knnGraph(sub, DIM, rows, 15, 2);
    umapFromGraph(rows, g, { dims: 2, minDist: p.minDist, seed: 1, init: pcaProject(sub, rows, DIM, 2) });
    out.umap_ours_20k_s = secs(t);
    note("ours on the same 20k (graph + 2-d)", { s: out.umap_ours_20k_s });
  }
}

if (!values["skip-corpus"] && !UMAP_ONLY) {
  const fullTier = resolve(".cache/corpus/full");
  const corpus = values.corpus ?? (existsSync(join(fullTier, "works.json")) ? fullTier : DEFAULT_CORPUS_DIR);
  const works = JSON.parse(await readFile(join(corpus, "works.json"), "utf8")) as Array<{ id: string }>;
  const dir = await mkdtemp(join(tmpdir(), "artsnob-bench-batch-"));
  try {
    // 99% of the corpus first (every 100th work held back), then all of it.
    const partial = join(dir, "corpus-99");
    await mkdir(partial);
    await writeFile(join(partial, "works.json"), JSON.stringify(works.filter((_, i) => i % 100 !== 50)));
    await symlink(join(corpus, "images"), join(partial, "images"));
    const config = loadConfig({ ARTSNOB_DATA_DIR: join(dir, "data"), LOG_LEVEL: "warn" });
    const log = createLogger({ bench: "batch" }, "warn");
    const crawlOnce = async (corpusDir: string) => {
      const shop = await startFixtureShop({ port: 0, corpusDir });
      try {
        const t = performance.now();
        const s = await runPipeline({ config, shopUrl: shop.url, delayMs: 0, log, progress: false, env: {} });
        return { s: secs(t), summary: s };
      } finally {
        await shop.close();
      }
    };
    const full = await crawlOnce(partial);
    out.corpus = { dir: corpus, works: works.length };
    out.corpus_e2e_s = full.s;
    out.corpus_timings_ms = full.summary.timingsMs;
    out.embed_images_per_s = full.summary.embed?.imagesPerSecond;
    note("corpus full run (99%)", { s: full.s, timingsMs: full.summary.timingsMs });
    const inc = await crawlOnce(corpus);
    out.corpus_incremental_s = inc.s;
    out.corpus_incremental_timings_ms = inc.summary.timingsMs;
    out.incremental_embedded = inc.summary.embed?.computed;
    out.incremental_ratio = Math.round((inc.s / full.s) * 1000) / 1000;
    note("corpus incremental run (+1%)", { s: inc.s, timingsMs: inc.summary.timingsMs, embedded: inc.summary.embed?.computed });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(JSON.stringify(out));
