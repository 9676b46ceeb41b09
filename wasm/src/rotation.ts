// The random orthogonal rotation RaBitQ needs so that sign bits carry information evenly across dims:
// `rounds` × (flip signs, then normalised fast Walsh–Hadamard transform). Orthogonal, so dot products are
// unchanged; O(d log d) per vector. The sign vectors are stored in the index file (no PRNG needed to load).
import { rng } from "./random-vectors.ts";

/** Smallest power of two ≥ max(dim, 128): Hadamard needs a power of two, SIMD code blocks need 16 bytes. */
export function paddedDim(dim: number): number {
  let p = 128;
  while (p < dim) p *= 2;
  return p;
}

/** rounds × dimPad values of ±1, seeded. */
export function randomSigns(seed: number, rounds: number, dimPad: number): Int8Array {
  const rand = rng(seed);
  const signs = new Int8Array(rounds * dimPad);
  for (let i = 0; i < signs.length; i++) signs[i] = rand() < 0.5 ? -1 : 1;
  return signs;
}

/** out = R·[x, 0…] (x of length ≤ dimPad). `out` is overwritten; x is not modified. */
export function rotate(x: ArrayLike<number>, signs: Int8Array, dimPad: number, out: Float64Array | Float32Array): void {
  const rounds = signs.length / dimPad;
  const n = x.length;
  for (let i = 0; i < dimPad; i++) out[i] = i < n ? x[i]! : 0;
  const norm = 1 / Math.sqrt(dimPad);
  for (let r = 0; r < rounds; r++) {
    const base = r * dimPad;
    for (let i = 0; i < dimPad; i++) out[i] = out[i]! * signs[base + i]!;
    for (let h = 1; h < dimPad; h *= 2) {
      for (let i = 0; i < dimPad; i += h * 2) {
        for (let j = i; j < i + h; j++) {
          const a = out[j]!, b = out[j + h]!;
          out[j] = a + b;
          out[j + h] = a - b;
        }
      }
    }
    for (let i = 0; i < dimPad; i++) out[i] = out[i]! * norm;
  }
}
