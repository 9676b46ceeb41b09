// classic-v1: a deterministic colour + texture + layout descriptor computed from raw pixels with
// sharp. No model download. Blocks (each L2-normalised, then weighted):
//   colour  — HSV histogram with soft binning: 12 hue × 3 value bins weighted by saturation,
//             6 grey-level bins weighted by (1 − saturation), 4 saturation bins; Hellinger (sqrt).
//   texture — Sobel gradient-orientation histogram (8 unsigned bins, soft, magnitude-weighted),
//             globally and per 2×2 cell, plus a 4-bin edge-strength histogram; sqrt.
//   layout  — 4×4 grid of mean opponent colours (O1, O2, intensity) minus the image mean.
// Mirrored pairs (orientation bins, left/right cells and columns) are stored as (sum, |diff|), so
// a horizontally flipped image has the same vector.
// The result is zero-padded to a multiple of 16 (SIMD lanes) and L2-normalised.
import sharp from "sharp";

export const DESCRIPTOR_ID = "classic-v1";
const SIDE = 128;
const HUE_BINS = 12;
const VAL_BINS = 3;
const GREY_BINS = 6;
const SAT_BINS = 4;
const ORI_BINS = 8;
const CELLS = 2;
const MAG_BINS = 4;
const GRID = 4;
const COLOUR_DIM = HUE_BINS * VAL_BINS + GREY_BINS + SAT_BINS;
const TEXTURE_DIM = ORI_BINS * (1 + CELLS * CELLS) + MAG_BINS;
const LAYOUT_DIM = GRID * GRID * 3;
const RAW_DIM = COLOUR_DIM + TEXTURE_DIM + LAYOUT_DIM;
export const DESCRIPTOR_DIM = Math.ceil(RAW_DIM / 16) * 16;
const WEIGHTS = { colour: 1.0, texture: 0.8, layout: 0.6 };

/** Decodes any supported image to SIDE×SIDE RGB on white (transparent art is drawn on white). */
export async function rasterise(bytes: Uint8Array): Promise<Uint8Array> {
  const { data } = await sharp(bytes, { limitInputPixels: 100_000_000 })
    .rotate()
    .flatten({ background: { r: 255, g: 255, b: 255 } })
    .resize(SIDE, SIDE, { fit: "fill", kernel: "lanczos3" })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export async function describeImage(bytes: Uint8Array): Promise<Float32Array> {
  return describePixels(await rasterise(bytes));
}

/** Adds `w` to bins around position `x` (in bin units) with linear soft assignment. */
function soft(hist: Float64Array, offset: number, bins: number, x: number, w: number, circular: boolean): void {
  const pos = x - 0.5;
  let i0 = Math.floor(pos);
  const f = pos - i0;
  let i1 = i0 + 1;
  if (circular) {
    i0 = (i0 + bins) % bins;
    i1 = i1 % bins;
  } else {
    if (i0 < 0) i0 = 0;
    if (i1 > bins - 1) i1 = bins - 1;
  }
  hist[offset + i0]! += w * (1 - f);
  hist[offset + i1]! += w * f;
}

function l2normalise(v: Float64Array, from: number, to: number, weight: number): void {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  for (let i = from; i < to; i++) v[i] = n > 1e-12 ? (v[i]! / n) * weight : 0;
}

/** Replaces each mirrored pair (bin i, bin ORI_BINS-1-i) of an orientation histogram by (sum, |diff|). */
function mirrorPairs(v: Float64Array, offset: number, histograms: number): void {
  for (let h = 0; h < histograms; h++) {
    const o = offset + h * ORI_BINS;
    for (let i = 0; i < ORI_BINS / 2; i++) {
      const a = v[o + i]!;
      const b = v[o + ORI_BINS - 1 - i]!;
      v[o + i] = a + b;
      v[o + ORI_BINS - 1 - i] = Math.abs(a - b);
    }
  }
}

function sqrtBlock(v: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) v[i] = Math.sqrt(Math.max(0, v[i]!));
}

export function describePixels(rgb: Uint8Array): Float32Array {
  const n = SIDE * SIDE;
  if (rgb.length !== n * 3) throw new Error(`expected ${n * 3} RGB bytes, got ${rgb.length}`);
  const v = new Float64Array(RAW_DIM);
  const grey = new Float64Array(n);
  const o1 = new Float64Array(n);
  const o2 = new Float64Array(n);
  const C = 0; // colour block offset
  const hb = new Float64Array(HUE_BINS);
  const vb = new Float64Array(VAL_BINS);
  for (let p = 0; p < n; p++) {
    const r = rgb[p * 3]! / 255;
    const g = rgb[p * 3 + 1]! / 255;
    const b = rgb[p * 3 + 2]! / 255;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    const d = max - min;
    const s = max > 0 ? d / max : 0;
    let h = 0;
    if (d > 0) {
      if (max === r) h = ((g - b) / d + 6) % 6;
      else if (max === g) h = (b - r) / d + 2;
      else h = (r - g) / d + 4;
      h /= 6;
    }
    // Chromatic part: hue × value, soft in both, weighted by saturation.
    if (s > 0) {
      hb.fill(0);
      vb.fill(0);
      soft(hb, 0, HUE_BINS, h * HUE_BINS, s, true);
      soft(vb, 0, VAL_BINS, max * VAL_BINS, 1, false);
      for (let i = 0; i < HUE_BINS; i++) {
        if (hb[i] === 0) continue;
        for (let j = 0; j < VAL_BINS; j++) v[C + i * VAL_BINS + j]! += hb[i]! * vb[j]!;
      }
    }
    soft(v, C + HUE_BINS * VAL_BINS, GREY_BINS, max * GREY_BINS, 1 - s, false);
    soft(v, C + HUE_BINS * VAL_BINS + GREY_BINS, SAT_BINS, s * SAT_BINS, 1, false);
    grey[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    o1[p] = (r - g) / Math.SQRT2;
    o2[p] = (r + g - 2 * b) / Math.sqrt(6);
  }
  for (let i = C; i < COLOUR_DIM; i++) v[i] = v[i]! / n;
  sqrtBlock(v, C, COLOUR_DIM);
  l2normalise(v, C, COLOUR_DIM, WEIGHTS.colour);

  // Texture: Sobel gradients on the grey image (borders skipped).
  const T = COLOUR_DIM;
  const magEdges = [0.05, 0.2, 0.6];
  let magTotal = 0;
  for (let y = 1; y < SIDE - 1; y++) {
    for (let x = 1; x < SIDE - 1; x++) {
      const at = (dx: number, dy: number) => grey[(y + dy) * SIDE + x + dx]!;
      const gx = at(1, -1) + 2 * at(1, 0) + at(1, 1) - at(-1, -1) - 2 * at(-1, 0) - at(-1, 1);
      const gy = at(-1, 1) + 2 * at(0, 1) + at(1, 1) - at(-1, -1) - 2 * at(0, -1) - at(1, -1);
      const mag = Math.sqrt(gx * gx + gy * gy);
      let mb = 0;
      while (mb < magEdges.length && mag >= magEdges[mb]!) mb++;
      v[T + ORI_BINS * (1 + CELLS * CELLS) + mb]! += 1;
      if (mag < 1e-3) continue;
      let theta = Math.atan2(gy, gx);
      if (theta < 0) theta += Math.PI; // unsigned orientation: mirror- and contrast-polarity tolerant
      const ob = (theta / Math.PI) * ORI_BINS;
      soft(v, T, ORI_BINS, ob, mag, true);
      const cell = Math.min(CELLS - 1, Math.floor((y * CELLS) / SIDE)) * CELLS + Math.min(CELLS - 1, Math.floor((x * CELLS) / SIDE));
      soft(v, T + ORI_BINS * (1 + cell), ORI_BINS, ob, mag, true);
      magTotal += mag;
    }
  }
  // Mirror invariance: a horizontal flip maps orientation bin i to ORI_BINS-1-i and swaps the left
  // and right cells, so keep (sum, |difference|) of each mirrored pair instead of the pair itself.
  mirrorPairs(v, T, 1);
  const flip = (cell: number) => (i: number) => T + ORI_BINS * (1 + cell) + (ORI_BINS - 1 - i);
  for (let row = 0; row < CELLS; row++) {
    const left = T + ORI_BINS * (1 + row * CELLS);
    const right = flip(row * CELLS + CELLS - 1);
    for (let i = 0; i < ORI_BINS; i++) {
      const a = v[left + i]!;
      const b = v[right(i)]!;
      v[left + i] = a + b;
      v[T + ORI_BINS * (1 + row * CELLS + CELLS - 1) + i] = Math.abs(a - b);
    }
  }
  const inner = (SIDE - 2) * (SIDE - 2);
  for (let i = T; i < T + ORI_BINS * (1 + CELLS * CELLS); i++) v[i] = magTotal > 0 ? v[i]! / magTotal : 0;
  for (let i = T + ORI_BINS * (1 + CELLS * CELLS); i < T + TEXTURE_DIM; i++) v[i] = v[i]! / inner;
  sqrtBlock(v, T, T + TEXTURE_DIM);
  l2normalise(v, T, T + TEXTURE_DIM, WEIGHTS.texture);

  // Layout: mean opponent colours per grid cell, centred on the image mean.
  const L = T + TEXTURE_DIM;
  const cellSide = SIDE / GRID;
  const means = [0, 0, 0];
  const chans = [o1, o2, grey];
  for (let c = 0; c < 3; c++) {
    let s = 0;
    for (let p = 0; p < n; p++) s += chans[c]![p]!;
    means[c] = s / n;
  }
  for (let gy = 0; gy < GRID; gy++) {
    for (let gx = 0; gx < GRID; gx++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let y = gy * cellSide; y < (gy + 1) * cellSide; y++) for (let x = gx * cellSide; x < (gx + 1) * cellSide; x++) s += chans[c]![y * SIDE + x]!;
        v[L + (gy * GRID + gx) * 3 + c] = s / (cellSide * cellSide) - means[c]!;
      }
    }
  }
  for (let gy = 0; gy < GRID; gy++) {
    for (let gx = 0; gx < GRID / 2; gx++) {
      for (let c = 0; c < 3; c++) {
        const i = L + (gy * GRID + gx) * 3 + c;
        const j = L + (gy * GRID + GRID - 1 - gx) * 3 + c;
        const a = v[i]!;
        const b = v[j]!;
        v[i] = a + b;
        v[j] = Math.abs(a - b);
      }
    }
  }
  l2normalise(v, L, L + LAYOUT_DIM, WEIGHTS.layout);

  const out = new Float32Array(DESCRIPTOR_DIM);
  let norm = 0;
  for (let i = 0; i < RAW_DIM; i++) norm += v[i]! * v[i]!;
  norm = Math.sqrt(norm);
  for (let i = 0; i < RAW_DIM; i++) out[i] = norm > 0 ? v[i]! / norm : 0;
  return out;
}
