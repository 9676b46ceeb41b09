// Small seeded generators: the same seed gives the same sequence on every runtime.
export { mulberry32 } from "../../common/random.ts";

/** 32-bit mix of integers (murmur3 finaliser over a running hash): a stable per-item random key. */
export function hash32(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x85ebca6b);
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35);
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h >>> 0;
}
