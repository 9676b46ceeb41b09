// Neighbours stage. Input: the merged feature matrix. Output: the K nearest works of every work
// (self, same-image duplicates and near-duplicates above a cosine threshold excluded), found with
// a usearch HNSW index over the full vectors and reranked exactly in f32, stored compactly:
// neighbours.u32 (row numbers) + neighbours.i8 (cosine × 127) under stages/neighbours/<hash>/.
import { z } from "zod";
import usearch from "usearch";
import type { Bucket } from "../../common/bucket/types.ts";
import { ELEMENT, I8_SCALE, MAGIC, decodeBinary, encodeBinary } from "../../common/artifacts/format.ts";
import { NO_NEIGHBOUR } from "../../common/artifacts/read.ts";
import { defineStage } from "../pipeline-stage.ts";
import { hashInputs, readDone, readStageFile, writeStageOutput, markLatest, type StageDone } from "../pipeline-outputs.ts";
import { currentMatrix } from "../shard/merge.ts";
import { createProgress } from "../progress.ts";

export const NEIGHBOURS_K = 100;
/** Row index used to pad a neighbour list when fewer than K candidates exist (0xFFFFFFFF). */
export { NO_NEIGHBOUR };
/** Quantised score used with NO_NEIGHBOUR (outside the ±127 range of real scores). */
export const NO_SCORE = -128;

export interface NeighbourTable {
  rows: number;
  k: number;
  /** rows × k row indices, best first; NO_NEIGHBOUR pads. */
  index: Uint32Array;
  /** rows × k cosine similarities. */
  score: Float32Array;
}

export const NeighboursParams = z
  .object({
    k: z.number().int().min(1).max(1000).default(NEIGHBOURS_K),
    /** HNSW candidates per work before the exact rerank (≥ k). */
    candidates: z.number().int().min(1).max(4000).default(140),
    /** Cosine at or above which two different images count as near-duplicates (excluded). */
    nearDuplicate: z.number().min(0).max(1.0001).default(0.995),
    connectivity: z.number().int().min(4).max(64).default(16),
    expansionSearch: z.number().int().min(16).max(4096).default(128),
    /** At or below this many rows the exact O(n²) scan is used (it is faster there). */
    exactBelow: z.number().int().min(0).default(3000),
    threads: z.number().int().min(0).max(64).default(2),
  })
  .strict();
export type NeighboursParams = z.infer<typeof NeighboursParams>;

interface Exclusion {
  hashes: string[];
  nearDuplicate: number;
}

function makeOffer(index: Uint32Array, score: Float32Array, count: Uint32Array, k: number) {
  return (row: number, cand: number, s: number) => {
    const base = row * k;
    let n = count[row]!;
    if (n === k) {
      const worst = score[base + k - 1]!;
      if (s < worst || (s === worst && cand > index[base + k - 1]!)) return;
      n = k - 1;
    } else count[row] = n + 1;
    let i = n;
    while (i > 0 && (score[base + i - 1]! < s || (score[base + i - 1] === s && index[base + i - 1]! > cand))) {
      score[base + i] = score[base + i - 1]!;
      index[base + i] = index[base + i - 1]!;
      i--;
    }
    score[base + i] = s;
    index[base + i] = cand;
  };
}

const dot = (v: Float32Array, a: number, b: number, dim: number) => {
  let s = 0;
  const oa = a * dim;
  const ob = b * dim;
  for (let d = 0; d < dim; d++) s += v[oa + d]! * v[ob + d]!;
  return s;
};

/**
 * Exact top-K by cosine (vectors are unit length, so a dot product). Each pair is scored once and
 * offered to both rows; ties go to the lower row index, so the result is deterministic.
 */
export function exactTopK(vectors: Float32Array, dim: number, hashes: string[], k: number, nearDuplicate = Infinity): NeighbourTable {
  const rows = hashes.length;
  const index = new Uint32Array(rows * k).fill(NO_NEIGHBOUR);
  const score = new Float32Array(rows * k).fill(-Infinity);
  const offer = makeOffer(index, score, new Uint32Array(rows), k);
  for (let a = 0; a < rows; a++) {
    for (let b = a + 1; b < rows; b++) {
      if (hashes[a] === hashes[b]) continue; // exact duplicate image: never its own neighbour
      const s = dot(vectors, a, b, dim);
      if (s >= nearDuplicate) continue;
      offer(a, b, s);
      offer(b, a, s);
    }
  }
  return { rows, k, index, score };
}

/** HNSW candidates (usearch, cosine) reranked by the exact f32 dot product. */
export function hnswTopK(vectors: Float32Array, dim: number, ex: Exclusion, p: Pick<NeighboursParams, "k" | "candidates" | "connectivity" | "expansionSearch" | "threads">, onProgress?: (done: number) => void): NeighbourTable {
  const rows = ex.hashes.length;
  const k = p.k;
  const index = new Uint32Array(rows * k).fill(NO_NEIGHBOUR);
  const score = new Float32Array(rows * k).fill(-Infinity);
  if (rows === 0) return { rows, k, index, score };
  const hnsw = new usearch.Index({ dimensions: dim, metric: usearch.MetricKind.Cos, quantization: usearch.ScalarKind.F32, connectivity: p.connectivity, expansion_add: Math.max(64, p.expansionSearch), expansion_search: Math.max(p.expansionSearch, p.candidates + 1), multi: false });
  const keys = new BigUint64Array(rows);
  for (let i = 0; i < rows; i++) keys[i] = BigInt(i);
  hnsw.add(keys, vectors, p.threads);
  const want = Math.min(rows, Math.max(k, p.candidates) + 1);
  const count = new Uint32Array(rows);
  const offer = makeOffer(index, score, count, k);
  const CHUNK = 4096;
  for (let start = 0; start < rows; start += CHUNK) {
    const end = Math.min(rows, start + CHUNK);
    const res = hnsw.search(vectors.subarray(start * dim, end * dim), want, p.threads) as InstanceType<typeof usearch.BatchMatches>;
    for (let q = start; q < end; q++) {
      const base = (q - start) * want;
      const found = Number(res.counts[q - start]);
      for (let j = 0; j < found; j++) {
        const c = Number(res.keys[base + j]);
        if (c === q || ex.hashes[c] === ex.hashes[q]) continue;
        const s = dot(vectors, q, c, dim);
        if (s >= ex.nearDuplicate) continue;
        offer(q, c, s);
      }
    }
    onProgress?.(end);
  }
  return { rows, k, index, score };
}

export function quantizeScores(score: Float32Array, index: Uint32Array): Int8Array {
  const out = new Int8Array(score.length);
  for (let i = 0; i < score.length; i++) {
    if (index[i] === NO_NEIGHBOUR) out[i] = NO_SCORE;
    else out[i] = Math.max(-127, Math.min(127, Math.round(score[i]! * I8_SCALE)));
  }
  return out;
}

export function encodeNeighbours(t: NeighbourTable): Record<string, Uint8Array> {
  const q = quantizeScores(t.score, t.index);
  return {
    "neighbours.u32": encodeBinary({ magic: MAGIC.neighbours, element: ELEMENT.u32, rows: t.rows, cols: t.k, scale: 1 }, new Uint8Array(t.index.buffer)),
    "neighbours.i8": encodeBinary({ magic: MAGIC.neighbourScores, element: ELEMENT.i8, rows: t.rows, cols: t.k, scale: I8_SCALE }, new Uint8Array(q.buffer)),
  };
}

/** Reads a neighbours output and checks its shape against the matrix it was built from. */
export async function readNeighboursOutput(bucket: Bucket, done: StageDone, rows: number): Promise<{ index: Uint8Array; scores: Uint8Array; k: number }> {
  const index = await readStageFile(bucket, done, "neighbours.u32");
  const scores = await readStageFile(bucket, done, "neighbours.i8");
  const a = decodeBinary(index, MAGIC.neighbours).header;
  const b = decodeBinary(scores, MAGIC.neighbourScores).header;
  if (a.rows !== rows || b.rows !== rows || a.cols !== b.cols) throw new Error(`neighbours ${done.inputHash.slice(0, 12)}: shape ${a.rows}×${a.cols} does not match ${rows} rows`);
  return { index, scores, k: a.cols };
}

export interface NeighboursStats {
  rows: number;
  k: number;
  method: "exact" | "hnsw";
  cached: boolean;
  inputHash: string;
  ms: number;
}

export const neighboursStage = defineStage({
  module: "neighbours",
  inputs: ["stages/embed-merge (feature matrix)"],
  outputs: ["stages/neighbours/<hash>/{neighbours.u32, neighbours.i8}"],
  params: NeighboursParams,
  async run(ctx, p, stage) {
    const t0 = Date.now();
    const log = ctx.log.child({ stage });
    const m = await currentMatrix(ctx, stage);
    const inputHash = await hashInputs([stage, m.inputHash, p.k, p.nearDuplicate, m.ids.length <= p.exactBelow ? "exact" : [p.candidates, p.connectivity, p.expansionSearch]]);
    const method = m.ids.length <= p.exactBelow ? "exact" : "hnsw";
    const stats: NeighboursStats = { rows: m.ids.length, k: p.k, method, cached: false, inputHash, ms: 0 };
    if (await readDone(ctx.bucket, stage, inputHash)) {
      stats.cached = true;
      await markLatest(ctx.bucket, stage, inputHash);
    } else {
      const bar = createProgress("neighbours", ctx.progress, "rows");
      bar.setTotal(m.ids.length);
      let last = 0;
      const table =
        method === "exact"
          ? exactTopK(m.vectors, m.dim, m.hashes, p.k, p.nearDuplicate)
          : hnswTopK(m.vectors, m.dim, { hashes: m.hashes, nearDuplicate: p.nearDuplicate }, p, (d) => {
              for (; last < d; last++) bar.increment();
            });
      bar.stop();
      await writeStageOutput(ctx.bucket, stage, inputHash, encodeNeighbours(table), { matrix: m.inputHash, rows: table.rows, k: p.k, method });
    }
    stats.ms = Date.now() - t0;
    log.info("neighbours finished", { ...stats });
    return { inputHash, cached: stats.cached, stats: { ...stats } };
  },
});

// Own entry point: `tsx batch/features/neighbours.ts` runs just this stage (same flags as batch/cli.ts).
if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("neighbours")); // no top-level await: the pipeline imports this module
