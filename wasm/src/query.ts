// Turning caller input into the int8 query the kernel scores against (scale 127, as in the artifacts).
import { quantizeI8 } from "../../common/artifacts/format.ts";
import { VectorInputError } from "./errors.ts";

/** Float query → normalised, int8-quantised; int8 query → used as given (already scale 127). */
export function toQueryI8(query: Float32Array | Int8Array, dim: number): Int8Array {
  if (query instanceof Int8Array) {
    if (query.length !== dim) throw new VectorInputError(`query has ${query.length} dims, index has ${dim}`);
    return query;
  }
  if (!(query instanceof Float32Array)) throw new VectorInputError("query must be a Float32Array or an Int8Array");
  if (query.length !== dim) throw new VectorInputError(`query has ${query.length} dims, index has ${dim}`);
  return normalizeAndQuantize(query);
}

/** x / |x| quantised with round(v·127); rejects non-finite values and the zero vector (no direction). */
export function normalizeAndQuantize(values: ArrayLike<number>): Int8Array {
  let sumSq = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new VectorInputError(`query[${i}] is not a finite number`);
    sumSq += v * v;
  }
  if (sumSq === 0) throw new VectorInputError("query has zero length (no direction to search in)");
  const norm = Math.sqrt(sumSq);
  const unit = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) unit[i] = values[i]! / norm;
  const out = new Int8Array(values.length);
  quantizeI8(unit, out);
  return out;
}

/**
 * "More like these": mean(liked rows) − λ·mean(disliked rows), in int8 units (the common 1/127 factor
 * cancels when normalising). Equivalent, up to scale, to ranking by mean sim(likes) − λ·mean sim(dislikes).
 */
export function exampleDirection(
  row: (r: number) => Int8Array, dim: number, liked: readonly number[], disliked: readonly number[], lambda: number,
): Float64Array {
  const out = new Float64Array(dim);
  const likedSum = sumRows(row, dim, liked);
  const dislikedSum = sumRows(row, dim, disliked);
  for (let d = 0; d < dim; d++) {
    const pull = liked.length > 0 ? likedSum[d]! / liked.length : 0;
    const push = disliked.length > 0 ? dislikedSum[d]! / disliked.length : 0;
    out[d] = pull - lambda * push;
  }
  return out;
}

function sumRows(row: (r: number) => Int8Array, dim: number, rows: readonly number[]): Float64Array {
  const sum = new Float64Array(dim);
  for (const r of rows) {
    const v = row(r);
    for (let d = 0; d < dim; d++) sum[d] = sum[d]! + v[d]!;
  }
  return sum;
}

/** Validates k: an integer in [0, MAX_K]. */
export const MAX_K = 1000;
export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0 || k > MAX_K) throw new VectorInputError(`k must be an integer in [0, ${MAX_K}], got ${k}`);
}

/** Validates a row id against an index of `count` rows. */
export function checkRow(row: unknown, count: number, what: string): number {
  if (typeof row !== "number" || !Number.isInteger(row) || row < 0 || row >= count) {
    throw new VectorInputError(`${what}: row ${String(row)} is not an integer in [0, ${count})`);
  }
  return row;
}

/** Validates λ for example queries. */
export function checkLambda(lambda: number): void {
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda < 0) throw new VectorInputError(`lambda must be a finite number ≥ 0, got ${lambda}`);
}
