// Read-only bucket over plain HTTP(S) GETs (a public bucket URL, a CDN, another Art Snob edge).
// Web-standard only (fetch, Headers, ReadableStream), so it runs on Node, Deno and Workers.
import { assertSafeKey, type Bucket, type ByteRange, type ObjectBody, type ObjectInfo } from "./types.ts";

export interface HttpBucketOptions {
  /** Extra request headers, e.g. an Authorization header for a private origin. */
  headers?: Record<string, string>;
  /** Injected fetch (tests, Workers service bindings); defaults to the global one. */
  fetch?: typeof fetch;
}

export class ReadOnlyBucketError extends Error {}

export class HttpBucket implements Bucket {
  readonly name: string;
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly fetchFn: typeof fetch;

  constructor(baseUrl: string, options: HttpBucketOptions = {}) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new Error(`HttpBucket needs an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`HttpBucket needs http(s), got ${url.protocol}`);
    url.search = "";
    url.hash = "";
    this.base = url.href.endsWith("/") ? url.href : `${url.href}/`;
    this.name = `http:${this.base}`;
    this.headers = options.headers ?? {};
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Each key segment is percent-encoded, so a key can never change the URL's path or query. */
  private url(key: string): string {
    return this.base + assertSafeKey(key).split("/").map(encodeURIComponent).join("/");
  }

  private async request(key: string, method: "GET" | "HEAD", range?: ByteRange): Promise<Response | null> {
    const headers = new Headers(this.headers);
    // Sizes and byte ranges must refer to the stored bytes, not to a compressed transfer.
    headers.set("Accept-Encoding", "identity");
    if (range) headers.set("Range", `bytes=${range.offset}-${range.offset + range.length - 1}`);
    const res = await this.fetchFn(this.url(key), { method, headers });
    if (res.status === 404 || res.status === 410) {
      await res.body?.cancel();
      return null;
    }
    if (res.status === 416 && range) return res;
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`${this.name}: ${method} ${key} answered HTTP ${res.status}`);
    }
    return res;
  }

  private info(key: string, res: Response, size: number): ObjectInfo {
    const info: ObjectInfo = { key, size, etag: res.headers.get("ETag") ?? `"${size.toString(16)}"` };
    const contentType = res.headers.get("Content-Type");
    if (contentType) info.contentType = contentType;
    const cacheControl = res.headers.get("Cache-Control");
    if (cacheControl) info.cacheControl = cacheControl;
    const modified = res.headers.get("Last-Modified");
    if (modified && !Number.isNaN(Date.parse(modified))) info.uploaded = new Date(modified);
    return info;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const res = await this.request(key, "HEAD");
    if (!res) return null;
    const length = Number(res.headers.get("Content-Length"));
    if (!Number.isSafeInteger(length) || length < 0) throw new Error(`${this.name}: HEAD ${key} gave no Content-Length`);
    return this.info(key, res, length);
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array | null> {
    if (range) {
      if (!Number.isSafeInteger(range.offset) || !Number.isSafeInteger(range.length) || range.offset < 0 || range.length < 0) {
        throw new RangeError(`invalid byte range: ${JSON.stringify(range)}`);
      }
      // HTTP has no empty range; a HEAD still tells missing from present.
      if (range.length === 0) return (await this.head(key)) ? new Uint8Array(0) : null;
    }
    const res = await this.request(key, "GET", range);
    if (!res) return null;
    if (res.status === 416) {
      await res.body?.cancel();
      return new Uint8Array(0); // offset past the end, like LocalBucket
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    // A server that ignores Range answers 200 with the whole object: cut it ourselves.
    if (range && res.status === 200) return bytes.slice(range.offset, range.offset + range.length);
    return bytes;
  }

  async getStream(key: string): Promise<ObjectBody | null> {
    const res = await this.request(key, "GET");
    if (!res) return null;
    // -1 when the origin streams without a Content-Length (chunked): the size is unknown up front.
    const length = Number(res.headers.get("Content-Length") ?? NaN);
    const body = res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    return { ...this.info(key, res, Number.isSafeInteger(length) ? length : -1), body };
  }

  async put(key: string): Promise<boolean> {
    assertSafeKey(key);
    throw new ReadOnlyBucketError(`${this.name} is read-only: cannot put ${JSON.stringify(key)}`);
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    throw new ReadOnlyBucketError(`${this.name} is read-only: cannot delete ${JSON.stringify(key)}`);
  }

  // eslint-disable-next-line require-yield
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    throw new ReadOnlyBucketError(`${this.name} cannot list objects (plain HTTP has no listing): prefix ${JSON.stringify(prefix)}`);
  }
}
