// Small numeric helpers shared by the classic descriptor's blocks. Plain TS, no allocation per pixel.

/** Adds `w` to the two bins nearest to `x` (in bin units, bin i centred on i + 0.5), linearly split. */
export function softAdd(h: Float64Array, offset: number, bins: number, x: number, w: number, circular: boolean): void {
  const pos = x - 0.5;
  let i0 = Math.floor(pos);
  const frac = pos - i0;
  let i1 = i0 + 1;
  if (circular) {
    i0 = ((i0 % bins) + bins) % bins;
    i1 = ((i1 % bins) + bins) % bins;
  } else {
    i0 = i0 < 0 ? 0 : i0 > bins - 1 ? bins - 1 : i0;
    i1 = i1 < 0 ? 0 : i1 > bins - 1 ? bins - 1 : i1;
  }
  h[offset + i0]! += w * (1 - frac);
  h[offset + i1]! += w * frac;
}

const dftTables = new Map<number, { cos: Float64Array; sin: Float64Array }>();
function dftTable(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = dftTables.get(n);
  if (!t) {
    t = { cos: new Float64Array(n * n), sin: new Float64Array(n * n) };
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++) {
        const a = (2 * Math.PI * ((k * j) % n)) / n;
        t.cos[k * n + j] = Math.cos(a);
        t.sin[k * n + j] = Math.sin(a);
      }
    dftTables.set(n, t);
  }
  return t;
}

/**
 * Magnitudes |X_k|, k = 0..ks-1, of the DFT of the circular sequence h[offset..offset+n). A rotation of
 * the image shifts such a sequence and a mirror reverses it; neither changes these magnitudes.
 */
export function dftMagnitudes(h: Float64Array, offset: number, n: number, ks: number, out: number[]): void {
  const t = dftTable(n);
  for (let k = 0; k < ks; k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      re += h[offset + j]! * t.cos[k * n + j]!;
      im -= h[offset + j]! * t.sin[k * n + j]!;
    }
    out.push(Math.sqrt(re * re + im * im));
  }
}

/** Appends `values` scaled to L2 norm `weight` (all zeros stay zeros). */
export function pushBlock(values: number[], weight: number, out: number[]): void {
  let s = 0;
  for (const v of values) s += v * v;
  const norm = Math.sqrt(s);
  for (const v of values) out.push(norm > 1e-12 ? (v / norm) * weight : 0);
}

/** Rotation-invariant uniform code (LBP "riu2") of an 8-neighbour bit pattern: 0..8 ones if ≤ 2 transitions, else 9. */
export const RIU2 = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    let transitions = 0;
    let ones = 0;
    for (let k = 0; k < 8; k++) {
      const a = (c >> k) & 1;
      if (a !== ((c >> ((k + 1) % 8)) & 1)) transitions++;
      ones += a;
    }
    t[c] = transitions <= 2 ? ones : 9;
  }
  return t;
})();
