// classic-v2: the deterministic visual descriptor used when no CLIP model is configured. No model
// download; sharp decodes, plain TS measures. Built to find an artwork again after the transforms of
// issue 4 (re-render, hue shift, greyscale, crop, mirror, JPEG on tinted paper, small rotation):
//   - everything is measured in a moment-normalised frame (ink centroid and radius of gyration), where
//     ink is lightness difference from the paper (classic/frame.ts) — so size, margins and crop matter little;
//   - shape dominates and is pooled so that rotation and mirroring leave it (nearly) unchanged;
//   - colour enters with a low weight and only through hue-invariant statistics.
// Blocks and weights: classic/blocks.ts. The vector is zero-padded to a multiple of 16 (SIMD lanes)
// and L2-normalised. Change DESCRIPTOR_ID whenever the vector changes: it names the feature cache.
import sharp from "sharp";
import type { ImageEmbedder } from "./embedder.ts";
import { buildFrame, type Raster } from "./classic/frame.ts";
import { RAW_DIM, describeFrame } from "./classic/blocks.ts";
import { paletteHistogram } from "./classic/palette.ts";

export const DESCRIPTOR_ID = "classic-v2";
export const DESCRIPTOR_DIM = Math.ceil(RAW_DIM / 16) * 16;
/** Longer side of the working raster (aspect ratio kept). */
export const RASTER_SIDE = 160;

export type { Raster } from "./classic/frame.ts";
export { PALETTE_DIM, PALETTE_ID, paletteHistogram } from "./classic/palette.ts";

/** Decodes any image sharp reads to an RGB raster (longer side RASTER_SIDE), transparency on white. */
export async function rasterise(bytes: Uint8Array): Promise<Raster> {
  const { data, info } = await sharp(bytes, { limitInputPixels: 100_000_000 })
    .rotate()
    .flatten({ background: { r: 255, g: 255, b: 255 } })
    .resize(RASTER_SIDE, RASTER_SIDE, { fit: "inside", kernel: "lanczos3" })
    .toColourspace("srgb")
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

export async function describeImage(bytes: Uint8Array): Promise<Float32Array> {
  const r = await rasterise(bytes);
  return describePixels(r.rgb, r.width, r.height);
}

/**
 * Describes a packed RGB raster. `width`/`height` default to a square image (the classic-v1 call
 * shape `describePixels(rgb)` still works for square input).
 */
export function describePixels(rgb: Uint8Array, width?: number, height?: number): Float32Array {
  if (width === undefined || height === undefined) {
    const side = Math.round(Math.sqrt(rgb.length / 3));
    if (side * side * 3 !== rgb.length) throw new Error(`describePixels: ${rgb.length} bytes is not a square RGB raster; pass width and height`);
    width ??= side;
    height ??= side;
  }
  const values: number[] = [];
  describeFrame(buildFrame({ rgb, width, height }), values);
  const out = new Float32Array(DESCRIPTOR_DIM);
  let s = 0;
  for (const v of values) s += v * v;
  const norm = Math.sqrt(s);
  for (let i = 0; i < values.length; i++) out[i] = norm > 0 ? values[i]! / norm : 0;
  return out;
}

/** Colour palette in classic-v1's colour-block layout, for the colour filter (see classic/palette.ts). */
export async function describePalette(bytes: Uint8Array): Promise<Float32Array> {
  return paletteHistogram(await rasterise(bytes));
}

/** The classic descriptor behind the embed stage's interface (batch/features/embedder.ts). */
export const classicEmbedder: ImageEmbedder = {
  id: DESCRIPTOR_ID,
  kind: "classic",
  dim: DESCRIPTOR_DIM,
  async embedImages(images: Uint8Array[]): Promise<Float32Array[]> {
    // Decoding runs on libuv's pool (in parallel); the measuring is synchronous JS.
    const rasters = await Promise.all(images.map((b) => rasterise(b)));
    return rasters.map((r) => describePixels(r.rgb, r.width, r.height));
  },
};
