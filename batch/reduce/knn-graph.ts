// The kNN graph UMAP needs, from a usearch HNSW index instead of umap-js's own exact search
// (which is O(n²) and dominates its run time). Rows include themselves first at distance 0, as
// umap-js's nearestNeighbors does; distance = 1 − cosine.
import usearch from "usearch";

export interface KnnGraph {
  k: number;
  indices: number[][];
  distances: number[][];
}

export function knnGraph(vectors: Float32Array, dim: number, rows: number, k: number, threads = 2): KnnGraph {
  const want = Math.min(rows, k);
  const indices: number[][] = new Array(rows);
  const distances: number[][] = new Array(rows);
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
      const idx = [q];
      const dist = [0];
      for (let j = 0; j < found && idx.length < want; j++) {
        const c = Number(res.keys[base + j]);
        if (c === q) continue;
        idx.push(c);
        dist.push(Math.max(0, res.distances[base + j]!));
      }
      // umap-js expects exactly k per row: pad with the last neighbour when the index found fewer.
      while (idx.length < want) (idx.push(idx[idx.length - 1]!), dist.push(dist[dist.length - 1]!));
      indices[q] = idx;
      distances[q] = dist;
    }
  }
  return { k: want, indices, distances };
}
