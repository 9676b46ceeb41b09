// Object storage as the rest of the code sees it. Backends: local directory (default), GCS,
// Cloudflare R2 binding and read-only HTTPS. Keys are '/'-separated, never starting with '/'.

export interface ObjectInfo {
  key: string;
  size: number;
  /** Strong validator for conditional requests (hash-based where the backend has one). */
  etag: string;
  contentType?: string;
  cacheControl?: string;
  uploaded?: Date;
}

export interface ByteRange {
  offset: number;
  length: number;
}

export interface PutOptions {
  contentType?: string;
  cacheControl?: string;
  /** Skip the write when an object with this key already exists (content-addressed writes). */
  ifAbsent?: boolean;
}

export interface ObjectBody extends ObjectInfo {
  body: ReadableStream<Uint8Array>;
}

export interface Bucket {
  /** Backend name for logs and health, e.g. "local:/data/bucket" or "gcs:my-bucket". */
  readonly name: string;
  head(key: string): Promise<ObjectInfo | null>;
  /** Whole object (or a byte range) as bytes; null when missing. */
  get(key: string, range?: ByteRange): Promise<Uint8Array | null>;
  /** Streamed object for serving to clients; null when missing. */
  getStream(key: string): Promise<ObjectBody | null>;
  /** Returns false when `ifAbsent` skipped the write. */
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<boolean>;
  delete(key: string): Promise<void>;
  list(prefix: string): AsyncIterable<ObjectInfo>;
}

export class BucketKeyError extends Error {}

/** Rejects keys that could escape a prefix or a directory ("..", absolute, backslashes, NUL). */
export function assertSafeKey(key: string): string {
  if (
    key.length === 0 ||
    key.length > 1024 ||
    key.startsWith("/") ||
    key.includes("\\") ||
    key.includes("\0") ||
    key.split("/").some((part) => part === "" || part === "." || part === "..")
  ) {
    throw new BucketKeyError(`invalid bucket key: ${JSON.stringify(key.slice(0, 100))}`);
  }
  return key;
}

export function guessContentType(key: string): string {
  const ext = key.slice(key.lastIndexOf(".") + 1).toLowerCase();
  return (
    {
      webp: "image/webp",
      jpg: "image/jpeg",
      jpeg: "image/jpeg",
      png: "image/png",
      svg: "image/svg+xml",
      json: "application/json",
      wasm: "application/wasm",
    } as Record<string, string>
  )[ext] ?? "application/octet-stream";
}

export async function readText(bucket: Bucket, key: string): Promise<string | null> {
  const bytes = await bucket.get(key);
  return bytes ? new TextDecoder().decode(bytes) : null;
}
