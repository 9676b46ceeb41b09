// Bucket on Google Cloud Storage through @google-cloud/storage. Node/Deno only (the client needs
// node:stream, node:http and google-auth-library): never import this from edge Worker code.
import { Readable } from "node:stream";
import { Storage, type File, type FileMetadata } from "@google-cloud/storage";
import { assertSafeKey, guessContentType, type Bucket, type ByteRange, type ObjectBody, type ObjectInfo, type PutOptions } from "./types.ts";
import { assertSafePrefix } from "./prefix.ts";

export interface GcsBucketOptions {
  bucket: string;
  /** Key prefix inside the bucket, e.g. "prod" → keys live under "prod/". */
  prefix?: string;
  /** Custom endpoint (a local fake or emulator); the client then sends no credentials. */
  apiEndpoint?: string;
  projectId?: string;
  /** Objects per list request (GCS caps it at 1000); smaller values only make sense in tests. */
  listPageSize?: number;
  /** Client retries for transient errors (429, 5xx, resets); the library default is 3. */
  maxRetries?: number;
}

/**
 * Uploads up to this size go as one multipart request (`resumable: false`): one round trip, no
 * session. Google's guidance is to switch to resumable sessions for larger objects (retries resume
 * instead of restarting); our images and artifact files are far below this.
 */
export const SIMPLE_UPLOAD_MAX_BYTES = 8 * 1024 * 1024;

interface ApiErrorLike {
  code?: number | string;
  status?: number;
  response?: { status?: number };
}

/** HTTP status of a client error: ApiError carries `code`, gaxios errors (resumable uploads) `status`. */
const statusOf = (e: unknown): number | undefined => {
  const err = e as ApiErrorLike | null;
  if (typeof err?.code === "number") return err.code;
  if (typeof err?.code === "string" && /^\d{3}$/.test(err.code)) return Number(err.code);
  return err?.status ?? err?.response?.status;
};

export class GcsBucket implements Bucket {
  readonly name: string;
  private readonly bucket;
  private readonly prefix: string;
  private readonly pageSize: number;

  constructor(options: GcsBucketOptions) {
    if (!/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(options.bucket)) {
      throw new Error(`invalid GCS bucket name: ${JSON.stringify(options.bucket)}`);
    }
    const storage = new Storage({
      ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
      ...(options.projectId ? { projectId: options.projectId } : {}),
      // The client treats maxRetries 0 as "default" (3), so 0 must become autoRetry: false.
      ...(options.maxRetries !== undefined
        ? { retryOptions: options.maxRetries > 0 ? { maxRetries: options.maxRetries } : { autoRetry: false } }
        : {}),
    });
    this.bucket = storage.bucket(options.bucket);
    const prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    if (prefix) assertSafeKey(prefix);
    this.prefix = prefix ? `${prefix}/` : "";
    this.pageSize = Math.min(Math.max(options.listPageSize ?? 1000, 1), 1000);
    this.name = `gcs:${options.bucket}${prefix ? `/${prefix}` : ""}`;
  }

  private file(key: string, generation?: string | number): File {
    const name = this.prefix + assertSafeKey(key);
    return generation === undefined ? this.bucket.file(name) : this.bucket.file(name, { generation });
  }

  private info(key: string, m: FileMetadata): ObjectInfo {
    const info: ObjectInfo = { key, size: Number(m.size ?? 0), etag: etagOf(m) };
    if (m.contentType) info.contentType = m.contentType;
    if (m.cacheControl) info.cacheControl = m.cacheControl;
    if (m.updated) info.uploaded = new Date(m.updated);
    return info;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const [metadata] = await this.file(key).getMetadata();
      return this.info(key, metadata);
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array | null> {
    const file = this.file(key);
    if (range) checkRange(range);
    try {
      if (range && range.length === 0) {
        // GCS has no empty range; still answer null for a missing object.
        return (await this.head(key)) ? new Uint8Array(0) : null;
      }
      // Whole-object downloads are CRC32C-validated by the client; ranges cannot be.
      const [buf] = await file.download(range ? { start: range.offset, end: range.offset + range.length - 1 } : {});
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      const status = statusOf(e);
      if (status === 404) return null;
      if (status === 416) return new Uint8Array(0); // offset past the end, like LocalBucket
      throw e;
    }
  }

  async getStream(key: string): Promise<ObjectBody | null> {
    let metadata: FileMetadata;
    try {
      [metadata] = await this.file(key).getMetadata();
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
    // Pin the generation we just described, so the bytes match the metadata even if the key is
    // overwritten meanwhile (then the stream errors with 404 instead of mixing versions).
    const file = this.file(key, metadata.generation ?? undefined);
    const body = Readable.toWeb(file.createReadStream()) as ReadableStream<Uint8Array>;
    return { ...this.info(key, metadata), body };
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<boolean> {
    const file = this.file(key);
    const data = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    try {
      await file.save(data, {
        resumable: data.byteLength > SIMPLE_UPLOAD_MAX_BYTES,
        validation: "crc32c",
        metadata: {
          contentType: options.contentType ?? guessContentType(key),
          ...(options.cacheControl ? { cacheControl: options.cacheControl } : {}),
        },
        ...(options.ifAbsent ? { preconditionOpts: { ifGenerationMatch: 0 } } : {}),
      });
      return true;
    } catch (e) {
      if (options.ifAbsent && statusOf(e) === 412) return false;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.file(key).delete();
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertSafePrefix(prefix);
    let pageToken: string | undefined;
    do {
      const [files, next] = await this.bucket.getFiles({
        prefix: this.prefix + prefix,
        autoPaginate: false,
        maxResults: this.pageSize,
        ...(pageToken ? { pageToken } : {}),
      });
      for (const f of files) yield this.info(f.name.slice(this.prefix.length), f.metadata);
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (pageToken);
  }
}

/** Quoted hex MD5 (what R2 and S3 use too); composite objects have none, so fall back to the generation. */
function etagOf(m: FileMetadata): string {
  if (m.md5Hash) return `"${Buffer.from(m.md5Hash, "base64").toString("hex")}"`;
  return `"g${m.generation ?? "0"}"`;
}

function checkRange(range: ByteRange): void {
  if (!Number.isSafeInteger(range.offset) || !Number.isSafeInteger(range.length) || range.offset < 0 || range.length < 0) {
    throw new RangeError(`invalid byte range: ${JSON.stringify(range)}`);
  }
}
