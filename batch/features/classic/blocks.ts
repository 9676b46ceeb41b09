// The five blocks of the classic descriptor, each measured in the moment-normalised frame (frame.ts):
//   shape   — gradient energy on lightness over 4 rings × 16 sectors, split into radial and tangential
//             edges; |DFT| over the sectors (rotation- and mirror-invariant).
//   ink     — ink mass over the same rings × sectors, |DFT| over the sectors.
//   layout  — a 16×16 thumbnail of lightness relative to the paper, low 2-D DCT frequencies; odd
//             horizontal frequencies as magnitudes (mirror-invariant), tolerant to small rotations.
//   texture — local ternary patterns (rotation-invariant uniform codes) and a gradient-strength histogram.
//   colour  — hue-invariant: lightness and chroma histograms of the ink and |DFT| of its hue histogram.
// Only the colour block sees a/b, so hue shifts and greyscale move just that block, which is weighted low.
import type { Frame } from "./frame.ts";
import { RIU2, dftMagnitudes, pushBlock, softAdd } from "./math.ts";

const RINGS = 4;
/** Ring width in units of the radius of gyration (rings at 0.275, 0.825, 1.375, ≥1.925 rg). */
const RING_WIDTH = 0.55;
const SECTORS = 16;
const SECTOR_FREQS = 8;
const THUMB = 16;
/** The thumbnail spans ±THUMB_SPAN radii of gyration around the ink centroid. */
const THUMB_SPAN = 2.2;
/** DCT frequencies (u, v) with u + v < THUMB_FREQS, DC excluded. */
const THUMB_FREQS = 8;
/** Lightness step (of 1) that counts as a ternary-pattern edge; above JPEG noise. */
const LTP_THRESHOLD = 0.04;
/** Weakest Sobel response counted as an edge, and the gradient-strength histogram's bins (log2 steps). */
const EDGE_MIN = 0.02;
const MAG_BINS = 6;
const L_BINS = 8;
const CHROMA_BINS = 6;
const HUE_BINS = 16;
const HUE_FREQS = 9;
/** Chroma below this has no meaningful hue. */
const HUE_MIN_CHROMA = 0.05;

export const BLOCK_WEIGHTS = { shape: 1.0, ink: 0.8, layout: 0.6, texture: 0.6, colour: 0.35 } as const;
export const BLOCK_DIMS = {
  shape: RINGS * 2 * SECTOR_FREQS,
  ink: RINGS * SECTOR_FREQS,
  layout: (THUMB_FREQS * (THUMB_FREQS + 1)) / 2 - 1,
  texture: 20 + MAG_BINS + 1,
  colour: L_BINS + CHROMA_BINS + HUE_FREQS,
} as const;
export const RAW_DIM = Object.values(BLOCK_DIMS).reduce((a, b) => a + b, 0);

const THUMB_COS = Float64Array.from({ length: THUMB_FREQS * THUMB }, (_, i) => {
  const f = Math.floor(i / THUMB);
  const x = i % THUMB;
  return Math.cos(((2 * x + 1) * f * Math.PI) / (2 * THUMB));
});

/** Appends every block (each L2-normalised to its weight) to `out`. */
export function describeFrame(fr: Frame, out: number[]): void {
  const { width: w, height: h, L, ink, cx, cy, rg } = fr;
  const shape = new Float64Array(RINGS * 2 * SECTORS);
  const inkPolar = new Float64Array(RINGS * SECTORS);
  const thumb = new Float64Array(THUMB * THUMB);
  const ltp = new Float64Array(20);
  const mags = new Float64Array(MAG_BINS);
  const rings = new Float64Array(RINGS);
  const ringScale = 1 / (rg * RING_WIDTH);
  const thumbScale = THUMB / (2 * THUMB_SPAN * rg);
  let edgeSum = 0;
  const neighbours = [-w - 1, -w, -w + 1, 1, w + 1, w, w - 1, -1];

  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const dx = x - cx;
      const dy = y - cy;
      const r = Math.sqrt(dx * dx + dy * dy);
      const ring = r * ringScale;
      const alpha = Math.atan2(dy, dx);
      const sector = ((alpha / (2 * Math.PI)) * SECTORS + SECTORS) % SECTORS;

      const tu = Math.floor(dx * thumbScale + THUMB / 2);
      const tv = Math.floor(dy * thumbScale + THUMB / 2);
      if (tu >= 0 && tv >= 0 && tu < THUMB && tv < THUMB) thumb[tv * THUMB + tu]! += fr.paper - L[p]!;

      const iw = ink[p]!;
      if (iw > 0) {
        rings.fill(0);
        softAdd(rings, 0, RINGS, ring, iw, false);
        for (let k = 0; k < RINGS; k++) if (rings[k]! > 0) softAdd(inkPolar, k * SECTORS, SECTORS, sector, rings[k]!, true);
      }
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) continue;

      // Local ternary pattern on lightness (3×3, clockwise from top-left).
      const c = L[p]!;
      let up = 0;
      let lo = 0;
      for (let k = 0; k < 8; k++) {
        const d = L[p + neighbours[k]!]! - c;
        if (d > LTP_THRESHOLD) up |= 1 << k;
        else if (d < -LTP_THRESHOLD) lo |= 1 << k;
      }
      if (up) ltp[RIU2[up]!]! += 1;
      if (lo) ltp[10 + RIU2[lo]!]! += 1;

      const gx = L[p - w + 1]! + 2 * L[p + 1]! + L[p + w + 1]! - L[p - w - 1]! - 2 * L[p - 1]! - L[p + w - 1]!;
      const gy = L[p + w - 1]! + 2 * L[p + w]! + L[p + w + 1]! - L[p - w - 1]! - 2 * L[p - w]! - L[p - w + 1]!;
      const mag = Math.sqrt(gx * gx + gy * gy);
      if (mag < EDGE_MIN) continue;
      edgeSum += mag;
      softAdd(mags, 0, MAG_BINS, Math.log2(mag / EDGE_MIN), 1, false);
      // Share of the gradient along the radius (edges across it) vs around it (edges along it).
      const along = r > 1e-6 ? (gx * dx + gy * dy) / (mag * r) : Math.SQRT1_2;
      const radial = along * along;
      rings.fill(0);
      softAdd(rings, 0, RINGS, ring, mag, false);
      for (let k = 0; k < RINGS; k++) {
        const e = rings[k]!;
        if (e === 0) continue;
        softAdd(shape, 2 * k * SECTORS, SECTORS, sector, e * radial, true);
        softAdd(shape, (2 * k + 1) * SECTORS, SECTORS, sector, e * (1 - radial), true);
      }
    }
  }

  const shapeFeatures: number[] = [];
  for (let k = 0; k < RINGS * 2; k++) dftMagnitudes(shape, k * SECTORS, SECTORS, SECTOR_FREQS, shapeFeatures);
  pushBlock(shapeFeatures.map(Math.sqrt), BLOCK_WEIGHTS.shape, out);

  const inkFeatures: number[] = [];
  for (let k = 0; k < RINGS; k++) dftMagnitudes(inkPolar, k * SECTORS, SECTORS, SECTOR_FREQS, inkFeatures);
  pushBlock(inkFeatures.map(Math.sqrt), BLOCK_WEIGHTS.ink, out);

  const layout: number[] = [];
  for (let fv = 0; fv < THUMB_FREQS; fv++)
    for (let fu = 0; fu < THUMB_FREQS - fv; fu++) {
      if (fu === 0 && fv === 0) continue;
      let s = 0;
      for (let y = 0; y < THUMB; y++) {
        const cv = THUMB_COS[fv * THUMB + y]!;
        for (let x = 0; x < THUMB; x++) s += thumb[y * THUMB + x]! * cv * THUMB_COS[fu * THUMB + x]!;
      }
      layout.push(fu % 2 === 1 ? Math.abs(s) : s); // odd horizontal frequencies flip sign in a mirror
    }
  pushBlock(layout, BLOCK_WEIGHTS.layout, out);

  const texture: number[] = [];
  const ltpSum = ltp.reduce((a, b) => a + b, 0);
  for (const v of ltp) texture.push(Math.sqrt(ltpSum > 0 ? v / ltpSum : 0));
  const magSum = mags.reduce((a, b) => a + b, 0);
  for (const v of mags) texture.push(Math.sqrt(magSum > 0 ? v / magSum : 0));
  texture.push(Math.min(1, edgeSum / Math.max(1, fr.inkMass) / 4)); // edge density per unit of ink
  pushBlock(texture, BLOCK_WEIGHTS.texture, out);

  pushBlock(colourFeatures(fr), BLOCK_WEIGHTS.colour, out);
}

function colourFeatures(fr: Frame): number[] {
  const { L, A, B, ink } = fr;
  const n = L.length;
  // A blank image has no ink: describe all of it, so the vector is never all zeros.
  const blank = fr.inkMass <= n * 1e-3;
  const lightness = new Float64Array(L_BINS);
  const chroma = new Float64Array(CHROMA_BINS);
  const hue = new Float64Array(HUE_BINS);
  let mass = 0;
  for (let p = 0; p < n; p++) {
    const w = blank ? 1 : ink[p]!;
    if (w <= 0) continue;
    mass += w;
    softAdd(lightness, 0, L_BINS, L[p]! * L_BINS, w, false);
    const c = Math.sqrt(A[p]! * A[p]! + B[p]! * B[p]!);
    softAdd(chroma, 0, CHROMA_BINS, Math.min(1, c) * CHROMA_BINS, w, false);
    if (c > HUE_MIN_CHROMA) softAdd(hue, 0, HUE_BINS, ((Math.atan2(B[p]!, A[p]!) / (2 * Math.PI)) * HUE_BINS + HUE_BINS) % HUE_BINS, w * c, true);
  }
  const out: number[] = [];
  const norm = mass > 0 ? 1 / mass : 0;
  for (const v of lightness) out.push(Math.sqrt(v * norm));
  for (const v of chroma) out.push(Math.sqrt(v * norm));
  const hueFreqs: number[] = [];
  dftMagnitudes(hue, 0, HUE_BINS, HUE_FREQS, hueFreqs); // a hue rotation only shifts this histogram
  for (const v of hueFreqs) out.push(Math.sqrt(v * norm));
  return out;
}
