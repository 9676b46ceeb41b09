// Byte layout of the compact tier file "ivf-rabitq.bin" (docs/vector-index.md has the table). The rerank
// tier is "rerank.bin" (rerank-format.ts).
import { VectorInputError } from "./errors.ts";

export const TIER_MAGIC = "ASRQ";
export const TIER_VERSION = 1;
export const TIER_HEADER_BYTES = 64;
export const TIER_FILE = "ivf-rabitq.bin";
export const RERANK_FILE = "rerank.bin";
/** Per position: fAdd, fRescale, popcount, as f32. */
export const FACTOR_FLOATS = 3;

/** A corrupt, truncated or incompatible index file. */
export class IndexFormatError extends Error {
  override name = "IndexFormatError";
}

export interface TierHeader {
  rounds: number;
  count: number;
  dim: number;
  dimPad: number;
  nlist: number;
  codeBytes: number;
  checksum: number;
}

/** Section offsets (bytes from the start of the file), each 16-byte aligned. */
export interface TierLayout {
  signs: number;
  centroids: number;
  offsets: number;
  perm: number;
  factors: number;
  codes: number;
  end: number;
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

export function tierLayout(h: Omit<TierHeader, "checksum">): TierLayout {
  const signs = TIER_HEADER_BYTES;
  const centroids = align16(signs + h.rounds * h.dimPad);
  const offsets = align16(centroids + h.nlist * h.dimPad * 4);
  const perm = align16(offsets + (h.nlist + 1) * 4);
  const factors = align16(perm + h.count * 4);
  const codes = align16(factors + h.count * FACTOR_FLOATS * 4);
  const end = align16(codes + h.count * h.codeBytes);
  return { signs, centroids, offsets, perm, factors, codes, end };
}

/** 32-bit multiplicative hash over the u32 words after the header (catches corruption, not attacks). */
export function tierChecksum(bytes: Uint8Array): number {
  const sum = new TierChecksum();
  sum.update(bytes.subarray(TIER_HEADER_BYTES));
  return sum.value;
}

/** The same hash fed in pieces (each piece a multiple of 4 bytes), for files streamed by ranges. */
export class TierChecksum {
  private h = 0x811c9dc5;
  private i = 0;

  update(piece: Uint8Array): void {
    if (piece.byteLength % 4 !== 0) throw new IndexFormatError(`${TIER_FILE}: checksum piece of ${piece.byteLength} bytes`);
    const words = piece.byteOffset % 4 === 0
      ? new Uint32Array(piece.buffer, piece.byteOffset, piece.byteLength >>> 2)
      : new Uint32Array(piece.slice().buffer);
    let h = this.h, i = this.i;
    for (let w = 0; w < words.length; w++, i++) h = (Math.imul(h ^ words[w]!, 0x01000193) + i) | 0;
    this.h = h;
    this.i = i;
  }

  get value(): number {
    return this.h >>> 0;
  }
}

export function writeTierHeader(out: Uint8Array, h: TierHeader): void {
  const v = new DataView(out.buffer, out.byteOffset, TIER_HEADER_BYTES);
  for (let i = 0; i < 4; i++) out[i] = TIER_MAGIC.charCodeAt(i);
  v.setUint16(4, TIER_VERSION, true);
  v.setUint16(6, h.rounds, true);
  v.setUint32(8, h.count, true);
  v.setUint32(12, h.dim, true);
  v.setUint32(16, h.dimPad, true);
  v.setUint32(20, h.nlist, true);
  v.setUint32(24, h.codeBytes, true);
  v.setUint32(28, h.checksum, true);
}

/** Validates the 64-byte header (and the total length, when known); returns it with the section offsets. */
export function parseTierHeader(bytes: Uint8Array, totalBytes: number | undefined): { header: TierHeader; layout: TierLayout } {
  if (bytes.byteLength < TIER_HEADER_BYTES) throw new IndexFormatError(`${TIER_FILE}: truncated header (${bytes.byteLength} bytes)`);
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (magic !== TIER_MAGIC) throw new IndexFormatError(`${TIER_FILE}: bad magic ${JSON.stringify(magic)}, expected ${TIER_MAGIC}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, TIER_HEADER_BYTES);
  const version = v.getUint16(4, true);
  if (version !== TIER_VERSION) throw new IndexFormatError(`${TIER_FILE}: unsupported version ${version} (this reader knows ${TIER_VERSION})`);
  const header: TierHeader = {
    rounds: v.getUint16(6, true),
    count: v.getUint32(8, true),
    dim: v.getUint32(12, true),
    dimPad: v.getUint32(16, true),
    nlist: v.getUint32(20, true),
    codeBytes: v.getUint32(24, true),
    checksum: v.getUint32(28, true),
  };
  const { rounds, count, dim, dimPad, nlist, codeBytes } = header;
  const pow2 = dimPad >= 128 && (dimPad & (dimPad - 1)) === 0;
  if (!pow2 || dim < 1 || dim > dimPad || codeBytes !== dimPad / 8 || rounds < 1 || rounds > 8) {
    throw new IndexFormatError(`${TIER_FILE}: inconsistent header (dim ${dim}, dimPad ${dimPad}, codeBytes ${codeBytes}, rounds ${rounds})`);
  }
  if (nlist < 1 || (count > 0 && nlist > count) || (count === 0 && nlist !== 1)) throw new IndexFormatError(`${TIER_FILE}: bad partition count ${nlist} for ${count} vectors`);
  const layout = tierLayout(header);
  if (totalBytes !== undefined && totalBytes !== layout.end) throw new IndexFormatError(`${TIER_FILE}: expected ${layout.end} bytes for ${count} × ${dim}, got ${totalBytes} (truncated or corrupt)`);
  return { header, layout };
}

/** Validates header, sizes and checksum of a whole file in memory; returns the header and section offsets. */
export function readTierHeader(bytes: Uint8Array, verifyChecksum = true): { header: TierHeader; layout: TierLayout } {
  if (!(bytes instanceof Uint8Array)) throw new VectorInputError(`${TIER_FILE} must be a Uint8Array`);
  const parsed = parseTierHeader(bytes, bytes.byteLength);
  if (verifyChecksum && tierChecksum(bytes) !== parsed.header.checksum) throw new IndexFormatError(`${TIER_FILE}: checksum mismatch (corrupt file)`);
  return parsed;
}
