// Where the rerank tier ("rerank.bin", rerank-format.ts) lives: in memory, or in a bucket read by byte
// ranges (rows closer than `gapRows` share one request). Rows come back decoded as float32.
import { VectorInputError } from "./errors.ts";
import { decodeRow, dotRecord, readRerankHeader, rerankChecksum, RERANK_HEADER_BYTES, type RerankHeader } from "./rerank-format.ts";
import { IndexFormatError } from "./tiered-format.ts";

/** Reads `length` bytes at `offset` of one object. */
export interface RangeReader {
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Object size if known (checked against the header: catches truncation). */
  size?: number;
}

/** A RangeReader over a bucket object (common/bucket/types.ts Bucket, or anything with that get()). */
export function bucketRangeReader(
  bucket: { get(key: string, range?: { offset: number; length: number }): Promise<Uint8Array | null> },
  key: string,
  size?: number,
): RangeReader {
  return {
    size,
    async read(offset, length) {
      const bytes = await bucket.get(key, { offset, length });
      if (!bytes) throw new IndexFormatError(`${key}: object missing`);
      if (bytes.byteLength !== length) throw new IndexFormatError(`${key}: short read at ${offset} (${bytes.byteLength} of ${length} bytes; truncated?)`);
      return bytes;
    },
  };
}

export interface RerankSource {
  readonly header: RerankHeader;
  /** Bytes of the rerank tier held in memory (0 when read from a bucket). */
  readonly residentBytes: number;
  /** Decoded rows for the given row ids → map row → dim floats. */
  rows(ids: readonly number[]): Promise<Map<number, Float32Array>>;
  /** Dot of each listed row with the unit query (same values as decoding + dot), in the given order. */
  dots(ids: ArrayLike<number>, unit: Float64Array): Promise<Float64Array>;
}

/** The whole file in memory (validated, checksum included unless disabled). */
export function memoryRerank(bytes: Uint8Array, verifyChecksum = true): RerankSource {
  if (!(bytes instanceof Uint8Array)) throw new VectorInputError("rerank.bin must be a Uint8Array");
  const header = readRerankHeader(bytes, bytes.byteLength);
  if (verifyChecksum && rerankChecksum(bytes) !== header.checksum) throw new IndexFormatError("rerank.bin: checksum mismatch (corrupt file)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    header, residentBytes: bytes.byteLength,
    async rows(ids) {
      const out = new Map<number, Float32Array>();
      for (const r of ids) {
        const v = new Float32Array(header.dim);
        decodeRow(header, view, RERANK_HEADER_BYTES + r * header.rowBytes, v);
        out.set(r, v);
      }
      return out;
    },
    async dots(ids, unit) {
      const out = new Float64Array(ids.length);
      for (let i = 0; i < ids.length; i++) out[i] = dotRecord(header, bytes, RERANK_HEADER_BYTES + ids[i]! * header.rowBytes, unit);
      return out;
    },
  };
}

/** Rows fetched on demand by byte ranges. The header is validated; rows are not checksummed. */
export async function rangeRerank(reader: RangeReader, gapRows = 8): Promise<RerankSource> {
  const header = readRerankHeader(await reader.read(0, RERANK_HEADER_BYTES), reader.size);
  const { rowBytes, dim } = header;
  /** Fetches the byte ranges covering `ids` and calls visit(row, bytes, offsetOfRecord) for each id. */
  const fetchRows = async (ids: ArrayLike<number>, visit: (row: number, bytes: Uint8Array, offset: number) => void) => {
    const sorted = [...new Set(Array.from(ids))].sort((a, b) => a - b);
    const ranges: Array<[number, number]> = [];
    for (const r of sorted) {
      const last = ranges.at(-1);
      if (last && r - last[1] <= gapRows) last[1] = r;
      else ranges.push([r, r]);
    }
    const chunks = await Promise.all(ranges.map(([a, b]) => reader.read(RERANK_HEADER_BYTES + a * rowBytes, (b - a + 1) * rowBytes)));
    let j = 0;
    for (const r of sorted) {
      while (r > ranges[j]![1]) j++;
      visit(r, chunks[j]!, (r - ranges[j]![0]) * rowBytes);
    }
  };
  return {
    header, residentBytes: 0,
    async rows(ids) {
      const out = new Map<number, Float32Array>();
      await fetchRows(ids, (r, bytes, offset) => {
        const v = new Float32Array(dim);
        decodeRow(header, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset, v);
        out.set(r, v);
      });
      return out;
    },
    async dots(ids, unit) {
      const byRow = new Map<number, number>();
      await fetchRows(ids, (r, bytes, offset) => byRow.set(r, dotRecord(header, bytes, offset, unit)));
      return Float64Array.from(ids, (r) => byRow.get(r)!);
    },
  };
}
