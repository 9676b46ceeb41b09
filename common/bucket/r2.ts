// Bucket over a Cloudflare R2 binding (env.BUCKET in a Worker, or Miniflare's getR2Bucket()).
// Web-standard only. The R2 types below are the minimal structural subset we call, so this compiles
// without @cloudflare/workers-types as global types, and the real R2Bucket is assignable to it.
import { assertSafeKey, guessContentType, type Bucket, type ByteRange, type ObjectBody, type ObjectInfo, type PutOptions } from "./types.ts";
import { assertSafePrefix } from "./prefix.ts";

export interface R2HttpMetadataLike {
  contentType?: string;
  cacheControl?: string;
}

export interface R2ObjectLike {
  readonly key: string;
  readonly size: number;
  /** Quoted etag, ready for HTTP headers. */
  readonly httpEtag: string;
  readonly uploaded: Date;
  readonly httpMetadata?: R2HttpMetadataLike;
}

export interface R2ObjectBodyLike extends R2ObjectLike {
  /** A web ReadableStream; typed loosely because workers-types and lib.dom each declare their own. */
  readonly body: unknown;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface R2ConditionalLike {
  etagMatches?: string;
  etagDoesNotMatch?: string;
}

export interface R2BindingLike {
  head(key: string): Promise<R2ObjectLike | null>;
  get(key: string, options?: { range?: { offset: number; length?: number } }): Promise<R2ObjectBodyLike | null>;
  put(
    key: string,
    value: ArrayBuffer | ArrayBufferView | string,
    options?: { httpMetadata?: R2HttpMetadataLike; onlyIf?: R2ConditionalLike },
  ): Promise<R2ObjectLike | null>;
  delete(keys: string | string[]): Promise<void>;
  list(options?: { prefix?: string; cursor?: string; limit?: number; include?: ("httpMetadata" | "customMetadata")[] }): Promise<
    { objects: R2ObjectLike[] } & ({ truncated: true; cursor: string } | { truncated: false; cursor?: string })
  >;
}

export class R2Bucket implements Bucket {
  readonly name: string;

  private readonly pageSize: number;

  constructor(
    private readonly binding: R2BindingLike,
    bindingName = "BUCKET",
    /** Objects per list call (R2 caps it at 1000); smaller values only make sense in tests. */
    options: { listPageSize?: number } = {},
  ) {
    this.name = `r2:${bindingName}`;
    this.pageSize = Math.min(Math.max(options.listPageSize ?? 1000, 1), 1000);
  }

  private info(o: R2ObjectLike): ObjectInfo {
    const info: ObjectInfo = { key: o.key, size: o.size, etag: o.httpEtag, uploaded: o.uploaded };
    if (o.httpMetadata?.contentType) info.contentType = o.httpMetadata.contentType;
    if (o.httpMetadata?.cacheControl) info.cacheControl = o.httpMetadata.cacheControl;
    return info;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const o = await this.binding.head(assertSafeKey(key));
    return o ? this.info(o) : null;
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array | null> {
    assertSafeKey(key);
    if (range) {
      if (!Number.isSafeInteger(range.offset) || !Number.isSafeInteger(range.length) || range.offset < 0 || range.length < 0) {
        throw new RangeError(`invalid byte range: ${JSON.stringify(range)}`);
      }
      // R2 rejects ranges that start past the end or are empty; answer like LocalBucket instead.
      const head = await this.binding.head(key);
      if (!head) return null;
      if (range.length === 0 || range.offset >= head.size) return new Uint8Array(0);
      const length = Math.min(range.length, head.size - range.offset);
      const o = await this.binding.get(key, { range: { offset: range.offset, length } });
      return o ? new Uint8Array(await o.arrayBuffer()) : null;
    }
    const o = await this.binding.get(key);
    return o ? new Uint8Array(await o.arrayBuffer()) : null;
  }

  async getStream(key: string): Promise<ObjectBody | null> {
    const o = await this.binding.get(assertSafeKey(key));
    return o ? { ...this.info(o), body: o.body as ReadableStream<Uint8Array> } : null;
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<boolean> {
    assertSafeKey(key);
    const httpMetadata: R2HttpMetadataLike = { contentType: options.contentType ?? guessContentType(key) };
    if (options.cacheControl) httpMetadata.cacheControl = options.cacheControl;
    // R2 answers null instead of writing when the precondition fails; "*" matches any existing object.
    const written = await this.binding.put(key, body, { httpMetadata, ...(options.ifAbsent ? { onlyIf: { etagDoesNotMatch: "*" } } : {}) });
    return written !== null;
  }

  async delete(key: string): Promise<void> {
    await this.binding.delete(assertSafeKey(key));
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertSafePrefix(prefix);
    let cursor: string | undefined;
    do {
      const page = await this.binding.list({ prefix, limit: this.pageSize, include: ["httpMetadata"], ...(cursor ? { cursor } : {}) });
      for (const o of page.objects) yield this.info(o);
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
  }
}
