// Builds the two-tier index files from float vectors (runs in Node for the batch export; web-standard).
// Compact tier: spherical k-means partitions (IVF), rows grouped by partition, each row's residual to its
// partition mean rotated and stored as 1 sign bit per dim plus 3 f32 correction terms (RaBitQ).
// Rerank tier: rerank.bin, unit vectors as f16 (default) or int8 with a per-row scale, row order.
import { quantizeI8 } from "../../common/artifacts/format.ts";
import { encodeRerank, type RerankElement } from "./rerank-format.ts";
import { VectorInputError } from "./errors.ts";
import type { VectorCore } from "./index.ts";
import { rng } from "./random-vectors.ts";
import { paddedDim, randomSigns, rotate } from "./rotation.ts";
import {
  FACTOR_FLOATS, RERANK_FILE, TIER_FILE, tierChecksum, tierLayout, writeTierHeader,
} from "./tiered-format.ts";

export interface BuildIndexOptions {
  /** Number of partitions; default ≈ √count (clamped to [1, count]). */
  nlist?: number;
  /** Seed for sampling, k-means initialisation and the rotation. Same input + seed → same bytes. */
  seed?: number;
  /** Rotation rounds (sign flip + Hadamard), default 2. */
  rounds?: number;
  /** k-means iterations on the sample, default 8. */
  iterations?: number;
  /** Rows used to train k-means, default min(count, 48·nlist). */
  sample?: number;
  /** A vector core makes partition assignment ~30× faster (WASM int8 search over the centroids). */
  core?: VectorCore;
  /** Rerank tier element: "f16" (default, 2·dim bytes per row) or "i8s" (dim + 4 bytes, int8 with a per-row scale). */
  rerank?: RerankElement;
  /** Progress callback (stage name, done, total). */
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface IndexMeta {
  format: "ivf-rabitq";
  version: number;
  count: number;
  dim: number;
  dimPad: number;
  nlist: number;
  rounds: number;
  seed: number;
  rerank: RerankElement;
  /** Bytes per file; the compact tier is what a query must hold in memory. */
  bytes: Record<string, number>;
  residentBytesPerItem: number;
}

export interface BuiltIndex {
  files: Record<string, Uint8Array>;
  meta: IndexMeta;
}

export async function buildIndexFiles(vectors: Float32Array, count: number, dim: number, opts: BuildIndexOptions = {}): Promise<BuiltIndex> {
  if (!(vectors instanceof Float32Array)) throw new VectorInputError("vectors must be a Float32Array");
  if (!Number.isInteger(count) || count < 0) throw new VectorInputError(`count must be a non-negative integer, got ${count}`);
  if (!Number.isInteger(dim) || dim < 1 || dim > 8192) throw new VectorInputError(`dim must be an integer in [1, 8192], got ${dim}`);
  if (vectors.length !== count * dim) throw new VectorInputError(`vectors has ${vectors.length} values, expected ${count * dim}`);
  const seed = opts.seed ?? 1;
  const rounds = opts.rounds ?? 2;
  const dimPad = paddedDim(dim);
  const codeBytes = dimPad / 8;
  const nlist = count === 0 ? 1 : Math.max(1, Math.min(count, opts.nlist ?? Math.round(Math.sqrt(count))));
  const progress = opts.onProgress ?? (() => {});

  // Unit vectors: norms once (rows are normalised on the fly, never copied as float).
  const invNorm = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    let s = 0;
    for (let d = r * dim, e = d + dim; d < e; d++) {
      const x = vectors[d]!;
      if (!Number.isFinite(x)) throw new VectorInputError(`vectors[${r}][${d - r * dim}] is not finite`);
      s += x * x;
    }
    if (s === 0) throw new VectorInputError(`row ${r} is the zero vector (no direction)`);
    invNorm[r] = 1 / Math.sqrt(s);
  }
  const unitRow = (r: number, out: Float64Array) => {
    const base = r * dim, f = invNorm[r]!;
    for (let d = 0; d < dim; d++) out[d] = vectors[base + d]! * f;
  };

  const element = opts.rerank ?? "f16";
  if (element !== "f16" && element !== "i8s") throw new VectorInputError(`rerank must be "f16" or "i8s", got ${String(element)}`);
  const rerank = encodeRerank(element, count, dim, unitRow);
  progress("rerank", count, count);
  // int8 rows (scale 127) only for k-means assignment with the WASM core.
  const i8 = new Int8Array(count * dim);
  const unit = new Float64Array(dim);
  for (let r = 0; r < count; r++) { unitRow(r, unit); quantizeI8(unit, i8, r * dim); }

  // Spherical k-means on a sample.
  const rand = rng(seed ^ 0x9e3779b9);
  const sampleSize = Math.min(count, opts.sample ?? 48 * nlist);
  const sample = sampleRows(rand, count, sampleSize);
  const means = new Float64Array(nlist * dim); // cluster means of unit vectors (not normalised)
  for (let c = 0; c < nlist && count > 0; c++) { unitRow(sample[c % sample.length]!, unit); means.set(unit, c * dim); }
  const assign = makeAssigner(opts.core, i8, dim);
  const iterations = count === 0 ? 0 : opts.iterations ?? 8;
  for (let it = 0; it < iterations; it++) {
    const labels = assign(means, nlist, sample);
    const sums = new Float64Array(nlist * dim);
    const sizes = new Uint32Array(nlist);
    for (let i = 0; i < sample.length; i++) {
      const c = labels[i]!;
      sizes[c]!++;
      unitRow(sample[i]!, unit);
      for (let d = 0; d < dim; d++) sums[c * dim + d] = sums[c * dim + d]! + (unit[d]!);
    }
    for (let c = 0; c < nlist; c++) {
      if (sizes[c] === 0) { unitRow(sample[Math.floor(rand() * sample.length)]!, unit); means.set(unit, c * dim); continue; }
      for (let d = 0; d < dim; d++) means[c * dim + d] = sums[c * dim + d]! / sizes[c]!;
    }
    progress("kmeans", it + 1, iterations);
  }

  // Assign every row, group rows by partition (counting sort keeps row order inside a partition).
  const all = new Uint32Array(count);
  for (let r = 0; r < count; r++) all[r] = r;
  const labels = count > 0 ? assign(means, nlist, all, (done) => progress("assign", done, count)) : new Uint32Array(0);
  const offsets = new Uint32Array(nlist + 1);
  for (let r = 0; r < count; r++) offsets[labels[r]! + 1]!++;
  for (let c = 0; c < nlist; c++) offsets[c + 1] = offsets[c + 1]! + (offsets[c]!);
  const perm = new Uint32Array(count);
  const fill = offsets.slice(0, nlist);
  for (let r = 0; r < count; r++) perm[fill[labels[r]!]!++] = r;

  // Final partition means over all members, rotated.
  const finalMeans = new Float64Array(nlist * dim);
  for (let c = 0; c < nlist; c++) {
    const n = offsets[c + 1]! - offsets[c]!;
    if (n === 0) { for (let d = 0; d < dim; d++) finalMeans[c * dim + d] = means[c * dim + d]!; continue; }
    for (let p = offsets[c]!; p < offsets[c + 1]!; p++) {
      unitRow(perm[p]!, unit);
      for (let d = 0; d < dim; d++) finalMeans[c * dim + d] = finalMeans[c * dim + d]! + (unit[d]!);
    }
    for (let d = 0; d < dim; d++) finalMeans[c * dim + d] = finalMeans[c * dim + d]! / n;
  }
  const signs = randomSigns(seed, rounds, dimPad);
  const header = { rounds, count, dim, dimPad, nlist, codeBytes };
  const layout = tierLayout(header);
  const out = new Uint8Array(layout.end);
  out.set(new Uint8Array(signs.buffer), layout.signs);
  const rotCentroids = new Float32Array(out.buffer, layout.centroids, nlist * dimPad);
  const rc = new Float64Array(dimPad);
  for (let c = 0; c < nlist; c++) { rotate(finalMeans.subarray(c * dim, (c + 1) * dim), signs, dimPad, rc); rotCentroids.set(rc, c * dimPad); }
  new Uint32Array(out.buffer, layout.offsets, nlist + 1).set(offsets);
  new Uint32Array(out.buffer, layout.perm, count).set(perm);

  // Codes and correction terms (see docs/vector-index.md for the estimator).
  const factors = new Float32Array(out.buffer, layout.factors, count * FACTOR_FLOATS);
  const codes = out.subarray(layout.codes, layout.codes + count * codeBytes);
  const rot = new Float64Array(dimPad);
  const sqrtD = Math.sqrt(dimPad);
  for (let c = 0; c < nlist; c++) {
    const cBase = c * dimPad;
    for (let p = offsets[c]!; p < offsets[c + 1]!; p++) {
      unitRow(perm[p]!, unit);
      rotate(unit, signs, dimPad, rot);
      let normSq = 0, absSum = 0, dotRC = 0, pop = 0;
      const code = p * codeBytes;
      for (let i = 0; i < dimPad; i++) {
        const cv = rotCentroids[cBase + i]!;
        const r = rot[i]! - cv;
        normSq += r * r;
        absSum += Math.abs(r);
        dotRC += r * cv;
        if (r > 0) { codes[code + (i >>> 3)] = codes[code + (i >>> 3)]! | (1 << (i & 7)); pop++; }
      }
      // <r, y> ≈ |r| · <x̄, y> / <x̄, r̂>, x̄ = (2·bits − 1)/√D, <x̄, r̂> = Σ|r_i| / (|r|·√D).
      factors[p * 3] = dotRC;
      factors[p * 3 + 1] = absSum > 0 ? (normSq * sqrtD) / absSum : 0;
      factors[p * 3 + 2] = pop;
    }
    if ((c & 63) === 63) progress("encode", offsets[c + 1]!, count);
  }
  writeTierHeader(out, { ...header, checksum: 0 });
  writeTierHeader(out, { ...header, checksum: tierChecksum(out) });

  const meta: IndexMeta = {
    format: "ivf-rabitq", version: 1, count, dim, dimPad, nlist, rounds, seed, rerank: element,
    bytes: { [TIER_FILE]: out.byteLength, [RERANK_FILE]: rerank.byteLength },
    residentBytesPerItem: count > 0 ? out.byteLength / count : 0,
  };
  return { files: { [TIER_FILE]: out, [RERANK_FILE]: rerank }, meta };
}

function sampleRows(rand: () => number, count: number, n: number): Uint32Array {
  // Partial Fisher–Yates over row ids; sorted afterwards for memory locality.
  const ids = new Uint32Array(count);
  for (let i = 0; i < count; i++) ids[i] = i;
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (count - i));
    const t = ids[i]!; ids[i] = ids[j]!; ids[j] = t;
  }
  return ids.slice(0, n).sort();
}

type Assigner = (means: Float64Array, nlist: number, rows: Uint32Array, onProgress?: (done: number) => void) => Uint32Array;

/** Nearest partition by cosine to the normalised means: WASM int8 search when a core is given, else plain TS. */
function makeAssigner(core: VectorCore | undefined, i8: Int8Array, dim: number): Assigner {
  return (means, nlist, rows, onProgress) => {
    const labels = new Uint32Array(rows.length);
    const normed = new Float64Array(nlist * dim);
    for (let c = 0; c < nlist; c++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += means[c * dim + d]! ** 2;
      const f = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let d = 0; d < dim; d++) normed[c * dim + d] = means[c * dim + d]! * f;
    }
    if (core) {
      const cI8 = new Int8Array(nlist * dim);
      quantizeI8(normed, cI8);
      const index = core.loadIndex(cI8, nlist, dim);
      try {
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i]!;
          const hit = index.search(i8.subarray(r * dim, (r + 1) * dim), 1);
          labels[i] = hit.length > 0 ? hit[0]!.row : 0;
          if ((i & 0xffff) === 0xffff) onProgress?.(i + 1);
        }
      } finally {
        index.dispose();
      }
      return labels;
    }
    for (let i = 0; i < rows.length; i++) {
      const base = rows[i]! * dim;
      let best = -Infinity, bestC = 0;
      for (let c = 0; c < nlist; c++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += i8[base + d]! * normed[c * dim + d]!;
        if (s > best) { best = s; bestC = c; }
      }
      labels[i] = bestC;
    }
    return labels;
  };
}
