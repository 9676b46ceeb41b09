// The classic descriptor's view of an image: CIELAB planes, the paper (background) lightness, an "ink"
// map and a moment-normalised frame (ink centroid and radius of gyration). Everything downstream is
// measured relative to this frame, which is what makes the vector tolerant to re-rendering, cropping,
// rotation and margins. Ink is defined by lightness alone so hue shifts and greyscale leave it unchanged.

export interface Raster {
  rgb: Uint8Array; // packed RGB, row-major
  width: number;
  height: number;
}

export interface Frame {
  width: number;
  height: number;
  /** CIELAB, scaled by 1/100 (L in 0..1, a/b roughly −1..1). */
  L: Float64Array;
  A: Float64Array;
  B: Float64Array;
  /** Paper lightness the ink is measured against. */
  paper: number;
  /** 0..1 per pixel: how clearly the pixel differs in lightness from the paper. */
  ink: Float64Array;
  inkMass: number;
  cx: number;
  cy: number;
  /** Radius of gyration of the ink, in pixels (the frame's unit length). */
  rg: number;
}

const SRGB_TO_LINEAR = Float64Array.from({ length: 256 }, (_, i) => {
  const c = i / 255;
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
});
const labF = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);

/** Ink starts at this lightness difference from the paper and is full at INK_LOW + INK_RAMP. */
const INK_LOW = 0.03;
const INK_RAMP = 0.12;
/** A border counts as paper when this share of it is within PAPER_TOLERANCE of its median… */
const PAPER_UNIFORM = 0.6;
const PAPER_TOLERANCE = 0.05;
/** …and it is light: dark or busy borders mean the art reaches the edge, so assume white paper. */
const PAPER_MIN_LIGHTNESS = 0.75;

export function buildFrame({ rgb, width, height }: Raster): Frame {
  const n = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`bad raster size ${width}×${height}`);
  if (rgb.length !== n * 3) throw new Error(`expected ${n * 3} RGB bytes for ${width}×${height}, got ${rgb.length}`);
  const L = new Float64Array(n);
  const A = new Float64Array(n);
  const B = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const r = SRGB_TO_LINEAR[rgb[p * 3]!]!;
    const g = SRGB_TO_LINEAR[rgb[p * 3 + 1]!]!;
    const b = SRGB_TO_LINEAR[rgb[p * 3 + 2]!]!;
    const fx = labF((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
    const fy = labF(0.2126 * r + 0.7152 * g + 0.0722 * b);
    const fz = labF((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
    L[p] = (116 * fy - 16) / 100;
    A[p] = (500 * (fx - fy)) / 100;
    B[p] = (200 * (fy - fz)) / 100;
  }

  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(L[x]!, L[(height - 1) * width + x]!);
  for (let y = 0; y < height; y++) border.push(L[y * width]!, L[y * width + width - 1]!);
  let paper = median(border);
  let near = 0;
  for (const v of border) if (Math.abs(v - paper) < PAPER_TOLERANCE) near++;
  if (near < PAPER_UNIFORM * border.length || paper < PAPER_MIN_LIGHTNESS) paper = 1;

  const ink = new Float64Array(n);
  let inkMass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0, p = 0; y < height; y++)
    for (let x = 0; x < width; x++, p++) {
      const w = Math.min(1, Math.max(0, (Math.abs(L[p]! - paper) - INK_LOW) / INK_RAMP));
      ink[p] = w;
      inkMass += w;
      sx += w * x;
      sy += w * y;
    }
  let cx = (width - 1) / 2;
  let cy = (height - 1) / 2;
  let rg = 0.35 * Math.max(width, height);
  if (inkMass > n * 1e-3) {
    cx = sx / inkMass;
    cy = sy / inkMass;
    let s2 = 0;
    for (let y = 0, p = 0; y < height; y++) for (let x = 0; x < width; x++, p++) s2 += ink[p]! * ((x - cx) ** 2 + (y - cy) ** 2);
    rg = Math.max(2, Math.sqrt(s2 / inkMass));
  }
  return { width, height, L, A, B, paper, ink, inkMass, cx, cy, rg };
}

function median(values: number[]): number {
  const s = Float64Array.from(values).sort();
  return s[s.length >> 1] ?? 1;
}
