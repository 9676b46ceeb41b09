// Byte layout of the rerank tier "rerank.bin" (docs/vector-index.md): a 32-byte header, then one
// fixed-size record per row in row order, so rows [a, b] are one byte range — readable from a bucket.
//   element 1 "i8s": f32 s | dim × int8 q   (value = q·s; s = max|x|/127 per row: 6× finer than x·127)
//   element 2 "f16": dim × IEEE half        (near-exact)
import { VectorInputError } from "./errors.ts";
import { IndexFormatError } from "./tiered-format.ts";

export const RERANK_MAGIC = "ASRK";
export const RERANK_VERSION = 1;
export const RERANK_HEADER_BYTES = 32;
export const RERANK_ELEMENT = { i8s: 1, f16: 2 } as const;
export type RerankElement = keyof typeof RERANK_ELEMENT;

export interface RerankHeader {
  element: RerankElement;
  count: number;
  dim: number;
  rowBytes: number;
  checksum: number;
}

export function rowBytesFor(element: RerankElement, dim: number): number {
  return element === "f16" ? 2 * dim : 4 + dim;
}

/** Encodes unit rows (row-major, count × dim) → the whole file. */
export function encodeRerank(element: RerankElement, count: number, dim: number, row: (r: number, out: Float64Array) => void): Uint8Array {
  const rowBytes = rowBytesFor(element, dim);
  const out = new Uint8Array(RERANK_HEADER_BYTES + count * rowBytes);
  const view = new DataView(out.buffer);
  const x = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    row(r, x);
    const at = RERANK_HEADER_BYTES + r * rowBytes;
    if (element === "f16") {
      for (let d = 0; d < dim; d++) view.setUint16(at + 2 * d, toHalf(x[d]!), true);
    } else {
      let m = 0;
      for (let d = 0; d < dim; d++) m = Math.max(m, Math.abs(x[d]!));
      const s = m > 0 ? m / 127 : 1;
      view.setFloat32(at, s, true);
      for (let d = 0; d < dim; d++) view.setInt8(at + 4 + d, Math.max(-127, Math.min(127, Math.round(x[d]! / s))));
    }
  }
  for (let i = 0; i < 4; i++) out[i] = RERANK_MAGIC.charCodeAt(i);
  view.setUint16(4, RERANK_VERSION, true);
  view.setUint16(6, RERANK_ELEMENT[element], true);
  view.setUint32(8, count, true);
  view.setUint32(12, dim, true);
  view.setUint32(16, rowBytes, true);
  view.setUint32(20, rerankChecksum(out), true);
  return out;
}

/** Same hash as the compact tier, over the bytes after the header (byte-wise: rows need not be aligned). */
export function rerankChecksum(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  const end = bytes.byteLength;
  let i = RERANK_HEADER_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (; i + 4 <= end; i += 4) h = (Math.imul(h ^ view.getUint32(i, true), 0x01000193) + i) | 0;
  for (; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) | 0;
  return h >>> 0;
}

/** Validates a header (32+ bytes); `totalBytes` (if known) must match. */
export function readRerankHeader(head: Uint8Array, totalBytes?: number): RerankHeader {
  if (!(head instanceof Uint8Array)) throw new VectorInputError("rerank.bin must be a Uint8Array");
  if (head.byteLength < RERANK_HEADER_BYTES) throw new IndexFormatError(`rerank.bin: truncated header (${head.byteLength} bytes)`);
  const magic = String.fromCharCode(head[0]!, head[1]!, head[2]!, head[3]!);
  if (magic !== RERANK_MAGIC) throw new IndexFormatError(`rerank.bin: bad magic ${JSON.stringify(magic)}, expected ${RERANK_MAGIC}`);
  const view = new DataView(head.buffer, head.byteOffset, RERANK_HEADER_BYTES);
  const version = view.getUint16(4, true);
  if (version !== RERANK_VERSION) throw new IndexFormatError(`rerank.bin: unsupported version ${version} (this reader knows ${RERANK_VERSION})`);
  const code = view.getUint16(6, true);
  const element = (Object.keys(RERANK_ELEMENT) as RerankElement[]).find((k) => RERANK_ELEMENT[k] === code);
  if (!element) throw new IndexFormatError(`rerank.bin: unknown element type ${code}`);
  const count = view.getUint32(8, true), dim = view.getUint32(12, true), rowBytes = view.getUint32(16, true);
  if (dim < 1 || rowBytes !== rowBytesFor(element, dim)) throw new IndexFormatError(`rerank.bin: inconsistent header (dim ${dim}, row bytes ${rowBytes})`);
  const want = RERANK_HEADER_BYTES + count * rowBytes;
  if (totalBytes !== undefined && totalBytes !== want) throw new IndexFormatError(`rerank.bin: expected ${want} bytes for ${count} × ${dim} ${element}, got ${totalBytes} (truncated or corrupt)`);
  return { element, count, dim, rowBytes, checksum: view.getUint32(20, true) };
}

/** Decodes one record (at `offset` in `bytes`) into `out` (dim floats). */
export function decodeRow(h: RerankHeader, view: DataView, offset: number, out: Float32Array): void {
  if (h.element === "f16") {
    const at = view.byteOffset + offset;
    if (at % 2 === 0) { // aligned (always, for files we write): typed-array view, no per-value DataView call
      const u16 = new Uint16Array(view.buffer, at, h.dim);
      for (let d = 0; d < h.dim; d++) out[d] = HALF[u16[d]!]!;
      return;
    }
    for (let d = 0; d < h.dim; d++) out[d] = HALF[view.getUint16(offset + 2 * d, true)]!;
  } else {
    const s = view.getFloat32(offset, true);
    const i8 = new Int8Array(view.buffer, view.byteOffset + offset + 4, h.dim);
    for (let d = 0; d < h.dim; d++) out[d] = i8[d]! * s;
  }
}

/**
 * Σ row[d]·unit[d] for the record at `offset` in `bytes` without materialising the row (the rerank hot
 * path). Same arithmetic, in the same order, as decodeRow + a dot product: results are identical.
 */
export function dotRecord(h: RerankHeader, bytes: Uint8Array, offset: number, unit: Float64Array): number {
  const at = bytes.byteOffset + offset;
  let s = 0;
  if (h.element === "f16") {
    if (at % 2 === 0) {
      const u16 = new Uint16Array(bytes.buffer, at, h.dim);
      for (let d = 0; d < h.dim; d++) s += HALF[u16[d]!]! * unit[d]!;
    } else {
      const view = new DataView(bytes.buffer, at, 2 * h.dim);
      for (let d = 0; d < h.dim; d++) s += HALF[view.getUint16(2 * d, true)]! * unit[d]!;
    }
    return s;
  }
  const scale = new DataView(bytes.buffer, at, 4).getFloat32(0, true);
  const i8 = new Int8Array(bytes.buffer, at + 4, h.dim);
  for (let d = 0; d < h.dim; d++) s += Math.fround(i8[d]! * scale) * unit[d]!;
  return s;
}

const HALF = (() => {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
    t[h] = exp === 0 ? sign * 2 ** -14 * (frac / 1024) : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return t;
})();

/** float → IEEE half, round to nearest even (values here are |x| ≤ 1, so no overflow handling needed beyond clamping). */
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
export function toHalf(x: number): number {
  F32[0] = x;
  const u = U32[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  let mant = u & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1), mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (exp << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  return sign | half;
}
