// Where the rerank tier ("rerank.bin", rerank-format.ts) lives: in memory, or in a bucket read by byte
// ranges (rows closer than `gapRows` share one request). Rows come back decoded as float32.
import { VectorInputError } from "./errors.ts";
import { decodeRow, readRerankHeader, rerankChecksum, RERANK_HEADER_BYTES, type RerankHeader } from "./rerank-format.ts";
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
  };
}

/** Rows fetched on demand by byte ranges. The header is validated; rows are not checksummed. */
export async function rangeRerank(reader: RangeReader, gapRows = 8): Promise<RerankSource> {
  const header = readRerankHeader(await reader.read(0, RERANK_HEADER_BYTES), reader.size);
  const { rowBytes, dim } = header;
  return {
    header, residentBytes: 0,
    async rows(ids) {
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      const ranges: Array<[number, number]> = [];
      for (const r of sorted) {
        const last = ranges.at(-1);
        if (last && r - last[1] <= gapRows) last[1] = r;
        else ranges.push([r, r]);
      }
      const out = new Map<number, Float32Array>();
      await Promise.all(ranges.map(async ([a, b]) => {
        const bytes = await reader.read(RERANK_HEADER_BYTES + a * rowBytes, (b - a + 1) * rowBytes);
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (const r of sorted) {
          if (r < a || r > b) continue;
          const v = new Float32Array(dim);
          decodeRow(header, view, (r - a) * rowBytes, v);
          out.set(r, v);
        }
      }));
      return out;
    },
  };
}
