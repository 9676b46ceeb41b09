// Colour palette histogram, kept apart from the similarity vector. classic-v2 is hue-invariant on purpose,
// so it can no longer answer "which colours does this work have"; the edge's colour filter
// (edge/services/search-colour.ts) read that from classic-v1's first 42 dims. This reproduces exactly that
// layout so the filter can move to a small artifact of its own (PALETTE_DIM floats per work, int8 like
// the vectors) without changing its mapping:
//   dims 0..35  — 12 hue × 3 value bins, soft-binned, weighted by saturation;
//   dims 36..41 — 6 grey levels (dark → light), weighted by 1 − saturation;
// each the square root of the pixel share, then L2-normalised; dims 42..47 are zero.
import { softAdd } from "./math.ts";
import type { Raster } from "./frame.ts";

export const PALETTE_ID = "palette-v1";
export const PALETTE_DIM = 48;
const HUE_BINS = 12;
const VAL_BINS = 3;
const GREY_BINS = 6;

export function paletteHistogram({ rgb, width, height }: Raster): Float32Array {
  const n = width * height;
  if (n < 1 || rgb.length !== n * 3) throw new Error(`expected ${n * 3} RGB bytes for ${width}×${height}, got ${rgb.length}`);
  const h = new Float64Array(PALETTE_DIM);
  const hb = new Float64Array(HUE_BINS);
  const vb = new Float64Array(VAL_BINS);
  for (let p = 0; p < n; p++) {
    const r = rgb[p * 3]! / 255;
    const g = rgb[p * 3 + 1]! / 255;
    const b = rgb[p * 3 + 2]! / 255;
    const max = Math.max(r, g, b);
    const d = max - Math.min(r, g, b);
    const s = max > 0 ? d / max : 0;
    if (s > 0) {
      let hue = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
      hue /= 6;
      hb.fill(0);
      vb.fill(0);
      softAdd(hb, 0, HUE_BINS, hue * HUE_BINS, s, true);
      softAdd(vb, 0, VAL_BINS, max * VAL_BINS, 1, false);
      for (let i = 0; i < HUE_BINS; i++) if (hb[i]) for (let j = 0; j < VAL_BINS; j++) h[i * VAL_BINS + j]! += hb[i]! * vb[j]!;
    }
    softAdd(h, HUE_BINS * VAL_BINS, GREY_BINS, max * GREY_BINS, 1 - s, false);
  }
  let sum = 0;
  for (let i = 0; i < PALETTE_DIM; i++) {
    h[i] = Math.sqrt(h[i]! / n);
    sum += h[i]! * h[i]!;
  }
  const norm = Math.sqrt(sum) || 1;
  return Float32Array.from(h, (x) => x / norm);
}
