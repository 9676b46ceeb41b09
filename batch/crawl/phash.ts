// Perceptual hash for near-duplicate images: 256-bit difference hash (dHash) of a 17×16 grey
// thumbnail of a blurred 68×64 copy, alpha flattened on white (clipart is mostly transparent). The
// blur matters for line art: without it a 90 % resize + JPEG q75 moved the hash by 20 bits (median);
// with it by 1 (p90 3, p99 7), while distinct works of the 320-work sample stay ≥ 4 apart
// (measured in batch/crawl/phash.test.ts terms; see docs/crawler.md).
import sharp, { type Sharp } from "sharp";

export const PHASH_BITS = 256;
/** Hamming distance at or below which two images are the same picture. */
export const NEAR_DUPLICATE_MAX_DISTANCE = 4;
/** Set bits (in either hash) needed before a near match counts: blank-ish images all look alike. */
export const NEAR_DUPLICATE_MIN_BITS = 24;
/** Distance relative to those set bits. */
export const NEAR_DUPLICATE_MAX_RATIO = 0.08;

export async function dHash(image: Sharp): Promise<string> {
  const grey = await image.flatten({ background: "#ffffff" }).greyscale().resize(68, 64, { fit: "fill" }).blur(2.5).raw().toBuffer();
  const data = await sharp(grey, { raw: { width: 68, height: 64, channels: 1 } }).resize(17, 16, { fit: "fill" }).raw().toBuffer();
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
