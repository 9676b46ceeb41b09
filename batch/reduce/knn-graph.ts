// The kNN graph UMAP needs, from a usearch HNSW index instead of umap-js's own exact search
// (which is O(n²) and dominates its run time). Row i lists itself first at distance 0, as
// umap-js's nearestNeighbors does; distance = 1 − cosine. Flat typed arrays (rows × k), so the
// graph is cheap to hand to a worker thread.
import usearch from "usearch";

export interface KnnGraph {
  rows: number;
  k: number;
  /** rows × k neighbour rows. */
  indices: Int32Array;
  /** rows × k distances, ascending per row. */
  distances: Float32Array;
}

export function knnGraph(vectors: Float32Array, dim: number, rows: number, k: number, threads = 2): KnnGraph {
  const want = Math.max(1, Math.min(rows, k));
  const indices = new Int32Array(rows * want);
  const distances = new Float32Array(rows * want);
  if (rows === 0) return { rows, k: want, indices, distances };
  const index = new usearch.Index({ dimensions: dim, metric: usearch.MetricKind.Cos, quantization: usearch.ScalarKind.F32, connectivity: 16, expansion_add: 64, expansion_search: Math.max(64, 2 * want), multi: false });
  const keys = new BigUint64Array(rows);
  for (let i = 0; i < rows; i++) keys[i] = BigInt(i);
  index.add(keys, vectors.subarray(0, rows * dim), threads);
  const CHUNK = 8192;
  for (let start = 0; start < rows; start += CHUNK) {
    const end = Math.min(rows, start + CHUNK);
    const res = index.search(vectors.subarray(start * dim, end * dim), want, threads) as InstanceType<typeof usearch.BatchMatches>;
    for (let q = start; q < end; q++) {
      const base = (q - start) * want;
      const found = Number(res.counts[q - start]);
      const o = q * want;
      indices[o] = q;
      distances[o] = 0;
      let n = 1;
      for (let j = 0; j < found && n < want; j++) {
        const c = Number(res.keys[base + j]);
        if (c === q) continue;
        indices[o + n] = c;
        distances[o + n] = Math.max(0, res.distances[base + j]!);
        n++;
      }
      // umap-js expects exactly k per row: repeat the last neighbour when the index found fewer.
      for (; n < want; n++) (indices[o + n] = indices[o + n - 1]!), (distances[o + n] = distances[o + n - 1]!);
    }
  }
  return { rows, k: want, indices, distances };
}

/** number[][] views for umap-js's setPrecomputedKNN. */
export function graphToArrays(g: KnnGraph): { indices: number[][]; distances: number[][] } {
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < g.rows; i++) {
    indices.push(Array.from(g.indices.subarray(i * g.k, (i + 1) * g.k)));
    distances.push(Array.from(g.distances.subarray(i * g.k, (i + 1) * g.k)));
  }
  return { indices, distances };
}

/** Row index that pads a neighbour list (0xFFFFFFFF, as the neighbours stage writes it). */
const PAD = 0xffffffff;

/**
 * The UMAP graph taken from the neighbours stage's table instead of a second HNSW index: the first
 * k − 1 real neighbours of each row (best first) after the row itself at distance 0, distance =
 * 1 − cosine. The table excludes self and near-duplicates, so self is added here, never required;
 * padding (0xFFFFFFFF) and out-of-range rows are skipped, and short rows repeat their last entry as
 * knnGraph does (fuzzyGraph gives repeats no edge). `score` is cosine, either as f32 or as the
 * stage's int8 quantisation (pass `scale` = 127).
 */
export function knnGraphFromNeighbours(table: { rows: number; k: number; index: Uint32Array; score: Float32Array | Int8Array }, k: number, scale = 1): KnnGraph {
  const rows = table.rows;
  if (table.index.length !== rows * table.k || table.score.length !== rows * table.k) throw new Error(`neighbour table shape ${table.index.length}/${table.score.length} does not match ${rows}×${table.k}`);
  const want = Math.max(1, Math.min(rows, k, table.k + 1));
  const indices = new Int32Array(rows * want);
  const distances = new Float32Array(rows * want);
  for (let q = 0; q < rows; q++) {
    const o = q * want;
    indices[o] = q;
    distances[o] = 0;
    let n = 1;
    let last = -1;
    for (let j = 0; j < table.k && n < want; j++) {
      const c = table.index[q * table.k + j]!;
      if (c === PAD || c >= rows || c === q) continue;
      // Sorted best first; clamp so quantisation never breaks the ascending order umap expects.
      const d = Math.max(0, 1 - table.score[q * table.k + j]! / scale);
      indices[o + n] = c;
      distances[o + n] = Math.max(d, last);
      last = distances[o + n]!;
      n++;
    }
    for (; n < want; n++) (indices[o + n] = indices[o + n - 1]!), (distances[o + n] = distances[o + n - 1]!);
  }
  return { rows, k: want, indices, distances };
}
