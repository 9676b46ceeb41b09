// Seeded synthetic data for tests and the bench: int8-quantised random unit vectors, as the batch exports.
import { mulberry32 } from "../../common/random.ts";
import { quantizeI8 } from "../../common/artifacts/format.ts";

/** Floats in [0, 1), reproducible across runtimes. */
export const rng = mulberry32;

/** Standard normal via Box–Muller. */
export function gaussian(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Fills `out[from, to)` with standard normals, using both Box–Muller outputs (half the work of gaussian()). */
export function fillGaussian(rand: () => number, out: Float32Array | Float64Array, from = 0, to = out.length, scale = 1): void {
  for (let i = from; i < to; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand())) * scale, t = 2 * Math.PI * rand();
    out[i] = r * Math.cos(t);
    if (i + 1 < to) out[i + 1] = r * Math.sin(t);
  }
}

export function randomUnitFloat(rand: () => number, dim: number): Float32Array {
  const v = new Float32Array(dim);
  let s = 0;
  for (let i = 0; i < dim; i++) { v[i] = gaussian(rand); s += v[i]! * v[i]!; }
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < dim; i++) v[i] = v[i]! / n;
  return v;
}

/** count × dim row-major int8 (scale 127) quantised random unit vectors. */
export function randomUnitI8(rand: () => number, count: number, dim: number): Int8Array {
  const out = new Int8Array(count * dim);
  for (let r = 0; r < count; r++) quantizeI8(randomUnitFloat(rand, dim), out, r * dim);
  return out;
}

/** A random subset of [0, count) with about `fraction` of the rows. */
export function randomRows(rand: () => number, count: number, fraction: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r < count; r++) if (rand() < fraction) rows.push(r);
  return rows;
}
