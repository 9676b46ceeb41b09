// Neighbours stage. Input: the feature matrix of active works (DB + bucket features).
// Output: exact cosine top-K per work (self and same-image duplicates excluded) as artifact-format
// binaries under `stages/neighbours/<inputHash>/`, `done.json` written last; skipped when present.
import type { Bucket } from "../../common/bucket/types.ts";
import type { Db } from "../../common/db/client.ts";
import { createLogger, type Logger } from "../../common/log.ts";
import { ELEMENT, I8_SCALE, MAGIC, decodeBinary, encodeBinary } from "../../common/artifacts/format.ts";
import { DESCRIPTOR_DIM, DESCRIPTOR_ID } from "./descriptor.ts";
import { loadFeatureMatrix, type FeatureMatrix } from "./store.ts";

export const NEIGHBOURS_K = 20;
import { NO_NEIGHBOUR } from "../../common/artifacts/read.ts";
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

/**
 * Exact top-K by cosine (vectors are unit length, so a dot product). Each pair is scored once and
 * offered to both rows; ties go to the lower row index, so the result is deterministic.
 */
export function exactTopK(vectors: Float32Array, dim: number, hashes: string[], k: number): NeighbourTable {
  const rows = hashes.length;
  const index = new Uint32Array(rows * k).fill(NO_NEIGHBOUR);
  const score = new Float32Array(rows * k).fill(-Infinity);
  const count = new Uint32Array(rows);
  const offer = (row: number, cand: number, s: number) => {
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
  for (let a = 0; a < rows; a++) {
    const oa = a * dim;
    for (let b = a + 1; b < rows; b++) {
      if (hashes[a] === hashes[b]) continue; // exact duplicate image: never its own neighbour
      const ob = b * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += vectors[oa + d]! * vectors[ob + d]!;
      offer(a, b, s);
      offer(b, a, s);
    }
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

export const stagePrefix = (inputHash: string) => `stages/neighbours/${inputHash}`;

export interface NeighboursStats {
  rows: number;
  k: number;
  missingFeatures: number;
  cached: boolean;
  inputHash: string;
  ms: number;
}

export async function runNeighbours(opts: { db: Db; bucket: Bucket; k?: number; log?: Logger; matrix?: FeatureMatrix }): Promise<NeighboursStats> {
  const t0 = Date.now();
  const log = (opts.log ?? createLogger()).child({ stage: "neighbours" });
  const k = opts.k ?? NEIGHBOURS_K;
  const m = opts.matrix ?? (await loadFeatureMatrix(opts.db, opts.bucket, DESCRIPTOR_ID, DESCRIPTOR_DIM));
  const prefix = stagePrefix(`${m.inputHash}-k${k}`);
  const stats: NeighboursStats = { rows: m.ids.length, k, missingFeatures: m.missing, cached: false, inputHash: m.inputHash, ms: 0 };
  if (m.missing > 0) log.warn("works without features are left out", { missing: m.missing });
  if (await opts.bucket.head(`${prefix}/done.json`)) {
    stats.cached = true;
  } else {
    const table = exactTopK(m.vectors, m.dim, m.hashes, k);
    const idx = encodeBinary({ magic: MAGIC.neighbours, element: ELEMENT.u32, rows: table.rows, cols: k, scale: 1 }, new Uint8Array(table.index.buffer));
    const q = quantizeScores(table.score, table.index);
    const sc = encodeBinary({ magic: MAGIC.neighbourScores, element: ELEMENT.i8, rows: table.rows, cols: k, scale: I8_SCALE }, new Uint8Array(q.buffer));
    await opts.bucket.put(`${prefix}/neighbours.u32`, idx);
    await opts.bucket.put(`${prefix}/neighbours.i8`, sc);
    await opts.bucket.put(`${prefix}/done.json`, JSON.stringify({ inputHash: m.inputHash, rows: table.rows, k, createdAt: new Date().toISOString() }), { contentType: "application/json" });
  }
  stats.ms = Date.now() - t0;
  log.info("neighbours finished", { ...stats });
  return stats;
}

/** Reads the stage output for a matrix; null when the stage has not run for exactly these inputs. */
export async function readNeighbours(bucket: Bucket, inputHash: string, k: number, rows: number): Promise<{ index: Uint8Array; scores: Uint8Array } | null> {
  const prefix = stagePrefix(`${inputHash}-k${k}`);
  if (!(await bucket.head(`${prefix}/done.json`))) return null;
  const index = await bucket.get(`${prefix}/neighbours.u32`);
  const scores = await bucket.get(`${prefix}/neighbours.i8`);
  if (!index || !scores) return null;
  // Validate before anyone publishes them.
  const a = decodeBinary(index, MAGIC.neighbours).header;
  const b = decodeBinary(scores, MAGIC.neighbourScores).header;
  if (a.rows !== rows || b.rows !== rows || a.cols !== k || b.cols !== k) return null;
  return { index, scores };
}

// Own entry point: `tsx batch/features/neighbours.ts` runs just this stage (same flags as batch/cli.ts).
if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("neighbours")); // no top-level await: the pipeline imports this module
