// Top principal components by subspace (power) iteration on a sample of rows: a cheap, seeded,
// deterministic starting layout for UMAP (random starts split large clusters into islands).
import { mulberry32 } from "../random/prng.ts";

export function pcaProject(vectors: Float32Array, rows: number, dim: number, k: number, seed = 1, sampleRows = 10000, iterations = 12): Float32Array {
  const random = mulberry32(seed);
  const step = Math.max(1, Math.floor(rows / sampleRows));
  const sample: number[] = [];
  for (let r = 0; r < rows; r += step) sample.push(r);
  const mean = new Float64Array(dim);
  for (const r of sample) for (let d = 0; d < dim; d++) mean[d]! += vectors[r * dim + d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= sample.length;
  // Q: dim × k basis, orthonormalised every round.
  let q = new Float64Array(dim * k);
  for (let i = 0; i < q.length; i++) q[i] = random() - 0.5;
  orthonormalise(q, dim, k);
  const t = new Float64Array(sample.length * k);
  for (let it = 0; it < iterations; it++) {
    // t = (X − μ) Q, then Q' = (X − μ)ᵀ t
    t.fill(0);
    sample.forEach((r, s) => {
      for (let d = 0; d < dim; d++) {
        const x = vectors[r * dim + d]! - mean[d]!;
        for (let c = 0; c < k; c++) t[s * k + c]! += x * q[d * k + c]!;
      }
    });
    const next = new Float64Array(dim * k);
    sample.forEach((r, s) => {
      for (let d = 0; d < dim; d++) {
        const x = vectors[r * dim + d]! - mean[d]!;
        for (let c = 0; c < k; c++) next[d * k + c]! += x * t[s * k + c]!;
      }
    });
    orthonormalise(next, dim, k);
    q = next;
  }
  const out = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++)
    for (let d = 0; d < dim; d++) {
      const x = vectors[r * dim + d]! - mean[d]!;
      for (let c = 0; c < k; c++) out[r * k + c]! += x * q[d * k + c]!;
    }
  return out;
}

/** Gram–Schmidt on the k columns of a dim × k matrix (row-major). */
function orthonormalise(m: Float64Array, dim: number, k: number): void {
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += m[d * k + c]! * m[d * k + p]!;
      for (let d = 0; d < dim; d++) m[d * k + c]! -= dot * m[d * k + p]!;
    }
    let n = 0;
    for (let d = 0; d < dim; d++) n += m[d * k + c]! ** 2;
    n = Math.sqrt(n) || 1;
    for (let d = 0; d < dim; d++) m[d * k + c]! /= n;
  }
}
