// Plain-TypeScript reference for the two-tier index, written from the format definition (no WASM):
// the RaBitQ estimate of every row, exact rerank scores from the decoded rerank tier, filters, examples,
// artist caps and MMR. Used by the tests (every runtime) and to sanity-check the bench.
import { decodeRow, readRerankHeader, RERANK_HEADER_BYTES } from "./rerank-format.ts";
import { rotate } from "./rotation.ts";
import { FACTOR_FLOATS, readTierHeader } from "./tiered-format.ts";
import type { Hit } from "./index.ts";

export class ReferenceTiered {
  readonly count: number;
  readonly dim: number;
  private readonly rows: Float32Array[];
  private readonly tier: Uint8Array;

  constructor(tierBytes: Uint8Array, rerankBytes: Uint8Array) {
    this.tier = tierBytes.slice();
    const h = readRerankHeader(rerankBytes, rerankBytes.byteLength);
    const view = new DataView(rerankBytes.buffer, rerankBytes.byteOffset, rerankBytes.byteLength);
    this.rows = Array.from({ length: h.count }, (_, r) => {
      const v = new Float32Array(h.dim);
      decodeRow(h, view, RERANK_HEADER_BYTES + r * h.rowBytes, v);
      return v;
    });
    this.count = h.count;
    this.dim = h.dim;
  }

  row(r: number): Float32Array {
    return this.rows[r]!;
  }

  /** Exact rerank score: decoded row · unit query (f64), clamped. */
  score(unit: ArrayLike<number>, r: number): number {
    const v = this.rows[r]!;
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i]! * unit[i]!;
    return s > 1 ? 1 : s < -1 ? -1 : s;
  }

  /** Exhaustive search over the rerank tier: score desc, row asc; filters by row. */
  search(unit: ArrayLike<number>, k: number, exclude?: Iterable<number>, allow?: Iterable<number>): Hit[] {
    const ex = new Set(exclude ?? []);
    const al = allow === undefined ? undefined : new Set(allow);
    const all: Hit[] = [];
    for (let r = 0; r < this.count; r++) if (!ex.has(r) && (!al || al.has(r))) all.push({ row: r, score: this.score(unit, r) });
    all.sort((a, b) => b.score - a.score || a.row - b.row);
    return all.slice(0, k);
  }

  /** RaBitQ estimate of <unit, row> for every row (f64 arithmetic, same 4-bit query quantiser). */
  estimates(unit: ArrayLike<number>): Float64Array {
    const { header, layout } = readTierHeader(this.tier);
    const { dimPad, nlist, rounds, codeBytes } = header;
    const buf = this.tier.buffer;
    const signs = new Int8Array(buf, layout.signs, rounds * dimPad);
    const cents = new Float32Array(buf, layout.centroids, nlist * dimPad);
    const offsets = new Uint32Array(buf, layout.offsets, nlist + 1);
    const perm = new Uint32Array(buf, layout.perm, header.count);
    const factors = new Float32Array(buf, layout.factors, header.count * FACTOR_FLOATS);
    const codes = new Uint8Array(buf, layout.codes, header.count * codeBytes);
    const q = new Float64Array(dimPad);
    rotate(unit, signs, dimPad, q);
    const out = new Float64Array(header.count);
    for (let c = 0; c < nlist; c++) {
      const y = Array.from({ length: dimPad }, (_, i) => Math.fround(Math.fround(q[i]!) - cents[c * dimPad + i]!));
      const lo = Math.min(...y), hi = Math.max(...y);
      const delta = hi > lo ? (hi - lo) / 15 : 1;
      const u = y.map((v) => Math.min(15, Math.max(0, Math.round((v - lo) / delta))));
      const sumU = u.reduce((a, b) => a + b, 0);
      let qc = 0;
      for (let i = 0; i < dimPad; i++) qc += q[i]! * cents[c * dimPad + i]!;
      const sq = Math.sqrt(dimPad);
      for (let p = offsets[c]!; p < offsets[c + 1]!; p++) {
        let ip = 0;
        for (let i = 0; i < dimPad; i++) if ((codes[p * codeBytes + (i >> 3)]! >> (i & 7)) & 1) ip += u[i]!;
        const [fAdd, fRescale, pop] = [factors[p * 3]!, factors[p * 3 + 1]!, factors[p * 3 + 2]!];
        const xy = 2 * (lo * pop + delta * ip) - (dimPad * lo + delta * sumU); // √D·<x̄, ŷ>
        out[perm[p]!] = qc + fAdd + (fRescale * xy) / sq;
      }
    }
    return out;
  }
}

/** Reference "at most N per artist" then optional MMR, from the definition (greedy). */
export function referenceDiversify(hits: Hit[], k: number, maxPerArtist: number | undefined, artistOf: ArrayLike<number> | undefined, mmrLambda: number | undefined, vec: (r: number) => ArrayLike<number>): Hit[] {
  const picked: Hit[] = [];
  const left = hits.slice();
  const count = (a: number) => picked.filter((h) => artistOf![h.row] === a).length;
  while (picked.length < k) {
    const eligible = left.filter((h) => maxPerArtist === undefined || count(artistOf![h.row]!) < maxPerArtist);
    if (eligible.length === 0) break;
    let best = eligible[0]!;
    if (mmrLambda !== undefined) {
      let bestV = -Infinity;
      for (const h of eligible) {
        const nov = picked.length === 0 ? 0 : Math.max(...picked.map((p) => { const a = vec(p.row), b = vec(h.row); let s = 0; for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!; return s; }));
        const v = mmrLambda * h.score - (1 - mmrLambda) * nov;
        if (v > bestV) { bestV = v; best = h; }
      }
    }
    picked.push(best);
    left.splice(left.indexOf(best), 1);
  }
  return picked;
}
