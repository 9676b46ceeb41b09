// Perceptual hash for near-duplicate images: 256-bit difference hash (dHash) of a 17×16 grey
// thumbnail, alpha flattened on white (clipart is mostly transparent). Re-encodes, resizes and mild
// JPEG damage move it by a few bits; different pictures differ by 17+ bits on the sample corpus.
import type { Sharp } from "sharp";

export const PHASH_BITS = 256;
/** Hamming distance at or below which two images are the same picture (≈4 % of the bits). */
export const NEAR_DUPLICATE_MAX_DISTANCE = 10;

export async function dHash(image: Sharp): Promise<string> {
  const data = await image.flatten({ background: "#ffffff" }).greyscale().resize(17, 16, { fit: "fill" }).raw().toBuffer();
  const bytes = new Uint8Array(32);
  for (let y = 0; y < 16; y++)
    for (let x = 0; x < 16; x++) {
      const bit = y * 16 + x;
      if (data[y * 17 + x]! > data[y * 17 + x + 1]!) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
    }
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const POP = new Uint8Array(256).map((_, i) => {
  let c = 0;
  for (let v = i; v; v &= v - 1) c++;
  return c;
});

/** Hamming distance of two hex dHashes of the same length. */
export function hammingHex(a: string, b: string): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i += 2) d += POP[parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16)]!;
  return d;
}
