// Seeded k-means (k-means++ start, Lloyd iterations until assignments settle). Deterministic for
// a given seed and row order.
import { mulberry32 } from "../random/prng.ts";

export interface KMeansResult {
  k: number;
  assign: Uint32Array;
  centroids: Float64Array;
  /** Squared distance of each row to its centroid. */
  dist2: Float64Array;
  iterations: number;
}

export function kmeans(x: Float32Array, rows: number, dims: number, k: number, seed: number, maxIter = 50): KMeansResult {
  k = Math.max(1, Math.min(k, rows));
  const random = mulberry32(seed);
  const c = new Float64Array(k * dims);
  const d2 = new Float64Array(rows).fill(Infinity);
  const dist = (r: number, j: number) => {
    let s = 0;
    for (let d = 0; d < dims; d++) {
      const t = x[r * dims + d]! - c[j * dims + d]!;
      s += t * t;
    }
    return s;
  };
  // k-means++
  let first = Math.floor(random() * rows);
  for (let d = 0; d < dims; d++) c[d] = x[first * dims + d]!;
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      d2[r] = Math.min(d2[r]!, dist(r, j - 1));
      total += d2[r]!;
    }
    let pick = random() * total;
    let chosen = rows - 1;
    for (let r = 0; r < rows; r++) if ((pick -= d2[r]!) <= 0) {
      chosen = r;
      break;
    }
    for (let d = 0; d < dims; d++) c[j * dims + d] = x[chosen * dims + d]!;
    first = chosen;
  }
  const assign = new Uint32Array(rows);
  let it = 0;
  for (; it < maxIter; it++) {
    let changed = 0;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      let bd = Infinity;
      for (let j = 0; j < k; j++) {
        const s = dist(r, j);
        if (s < bd) (bd = s), (best = j);
      }
      if (assign[r] !== best || it === 0) changed++;
      assign[r] = best;
      d2[r] = bd;
    }
    if (changed === 0 && it > 0) break;
    const sum = new Float64Array(k * dims);
    const n = new Uint32Array(k);
    for (let r = 0; r < rows; r++) {
      const j = assign[r]!;
      n[j]!++;
      for (let d = 0; d < dims; d++) sum[j * dims + d]! += x[r * dims + d]!;
    }
    for (let j = 0; j < k; j++) {
      if (n[j] === 0) {
        // Empty cluster: restart it at the row farthest from its centroid.
        let far = 0;
        for (let r = 1; r < rows; r++) if (d2[r]! > d2[far]!) far = r;
        for (let d = 0; d < dims; d++) c[j * dims + d] = x[far * dims + d]!;
        d2[far] = 0;
      } else for (let d = 0; d < dims; d++) c[j * dims + d] = sum[j * dims + d]! / n[j]!;
    }
  }
  for (let r = 0; r < rows; r++) d2[r] = dist(r, assign[r]!);
  return { k, assign, centroids: c, dist2: d2, iterations: it };
}
