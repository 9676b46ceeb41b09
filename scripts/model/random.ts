// Seeded pseudo-random numbers (mulberry32 + Box–Muller) so generated test models are byte-identical per seed.
import { mulberry32 } from "../../common/random.ts";
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const normal = () => {
    const u = 1 - next(); // (0, 1]: log(0) never happens
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return { next, normal };
}

/** `count` normal values scaled by `scale`, as float32. */
export function normals(rng: Rng, count: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.normal() * scale;
  return out;
}
