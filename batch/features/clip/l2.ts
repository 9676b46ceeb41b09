/** Copies row `i` of a row-major [n, dim] matrix into a new L2-normalised Float32Array (zero stays zero). */
export function normalizedRow(data: ArrayLike<number>, i: number, dim: number): Float32Array {
  const out = new Float32Array(dim);
  let sum = 0;
  for (let j = 0; j < dim; j++) {
    const v = data[i * dim + j]!;
    out[j] = v;
    sum += v * v;
  }
  if (!Number.isFinite(sum)) throw new Error("model produced a non-finite embedding");
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let j = 0; j < dim; j++) out[j] = out[j]! / norm;
  return out;
}
