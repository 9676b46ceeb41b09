// Bucket over the S3 API (Cloudflare R2's S3-compatible endpoint in production; any S3 speaks it),
// signed with AWS Signature Version 4 through Web Crypto — no SDK, runs on Node, Deno and Workers.
// The batch's publish step (scripts/deploy/publish.ts) uses it to copy edge artifacts and image
// variants from GCS to R2. Path-style URLs: <endpoint>/<bucket>/<prefix?><key>.
//   new S3Bucket({ endpoint: "https://<account>.r2.cloudflarestorage.com", bucket: "artsnob",
//                  region: "auto", accessKeyId, secretAccessKey })
import { assertSafePrefix } from "./prefix.ts";
import { assertSafeKey, guessContentType, type Bucket, type ByteRange, type ObjectBody, type ObjectInfo, type PutOptions } from "./types.ts";

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials only. */
  sessionToken?: string;
}

export interface S3BucketOptions extends S3Credentials {
  /** https://<account>.r2.cloudflarestorage.com, or http://127.0.0.1:PORT for the test fake. */
  endpoint: string;
  bucket: string;
  /** Key prefix inside the bucket ("" by default), without a trailing slash. */
  prefix?: string;
  /** R2 wants "auto"; AWS the bucket's region. */
  region?: string;
  /** Objects per ListObjectsV2 page (S3 caps it at 1000). */
  listPageSize?: number;
  fetch?: typeof fetch;
}

export class S3Error extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

const enc = new TextEncoder();
const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export async function sha256HexOf(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? enc.encode(data) : data;
  return hex(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
}

async function hmac(key: Uint8Array | ArrayBuffer, data: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey("raw", key as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", k, enc.encode(data));
}

/** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX (upper case). */
export function uriEncode(s: string, keepSlash = false): string {
  let out = "";
  for (const byte of enc.encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

export interface SignInput {
  method: string;
  url: URL;
  /** Headers to send and sign (names in any case); host, x-amz-date and x-amz-content-sha256 are added. */
  headers: Record<string, string>;
  payloadHash: string;
  region: string;
  service?: string;
  credentials: S3Credentials;
  date: Date;
}

/** SigV4 headers for a request (Authorization included). Exported for the AWS documentation vectors. */
export async function signV4(input: SignInput): Promise<Record<string, string>> {
  const amzDate = input.date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers)) headers[k.toLowerCase()] = v;
  headers.host = input.url.host;
  headers["x-amz-date"] = amzDate;
  headers["x-amz-content-sha256"] = input.payloadHash;
  if (input.credentials.sessionToken) headers["x-amz-security-token"] = input.credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]!.trim().replace(/\s+/g, " ")}\n`).join("");
  const signedHeaders = names.join(";");
  // The path is already encoded by S3Bucket (per segment); the query is re-encoded and sorted here.
  const query = [...input.url.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalRequest = [input.method, input.url.pathname, query, canonicalHeaders, signedHeaders, input.payloadHash].join("\n");
  const scope = `${day}/${input.region}/${input.service ?? "s3"}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, await sha256HexOf(canonicalRequest)].join("\n");
  let key = await hmac(enc.encode(`AWS4${input.credentials.secretAccessKey}`), day);
  key = await hmac(key, input.region);
  key = await hmac(key, input.service ?? "s3");
  key = await hmac(key, "aws4_request");
  const signature = hex(await hmac(key, stringToSign));
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  delete headers.host; // fetch sets Host from the URL (the same value that was signed)
  return headers;
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
function xmlText(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
    e[0] === "#" ? String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : XML_ENTITIES[e.toLowerCase()]!,
  );
}
function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? xmlText(m[1]!) : undefined;
}

export class S3Bucket implements Bucket {
  readonly name: string;
  private readonly base: string;
  private readonly prefix: string;
  private readonly region: string;
  private readonly pageSize: number;
  private readonly doFetch: typeof fetch;

  constructor(private readonly opts: S3BucketOptions) {
    if (!/^https?:\/\/[^/]+\/?$/.test(opts.endpoint)) throw new Error(`S3 endpoint must be an origin like https://host[:port], got ${JSON.stringify(opts.endpoint)}`);
    if (!/^[a-z0-9][a-z0-9.-]{2,62}$/.test(opts.bucket)) throw new Error(`invalid S3 bucket name ${JSON.stringify(opts.bucket)}`);
    if (!opts.accessKeyId || !opts.secretAccessKey) throw new Error("S3 credentials missing (access key id and secret access key)");
    this.base = opts.endpoint.replace(/\/$/, "");
    this.prefix = opts.prefix ? assertSafeKey(opts.prefix.replace(/\/+$/, "")) + "/" : "";
    this.region = opts.region ?? "auto";
    this.pageSize = Math.min(Math.max(opts.listPageSize ?? 1000, 1), 1000);
    this.doFetch = opts.fetch ?? ((...a) => fetch(...a));
    this.name = `s3:${opts.bucket}${opts.prefix ? "/" + opts.prefix : ""}`;
  }

  private url(key: string | null, query?: Record<string, string>): URL {
    const path = key === null ? "" : "/" + uriEncode(this.prefix + key, true);
    const url = new URL(`${this.base}/${uriEncode(this.opts.bucket)}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    return url;
  }

  private async send(method: string, url: URL, headers: Record<string, string> = {}, body?: Uint8Array): Promise<Response> {
    const payloadHash = body ? await sha256HexOf(body) : EMPTY_SHA256;
    const signed = await signV4({ method, url, headers, payloadHash, region: this.region, credentials: this.opts, date: new Date() });
    return this.doFetch(url, { method, headers: signed, ...(body ? { body: body as BodyInit } : {}) });
  }

  private async fail(res: Response, what: string): Promise<never> {
    const text = await res.text().catch(() => ""); // empty for HEAD
    const code = tag(text, "Code") ?? `HTTP${res.status}`;
    throw new S3Error(`${this.name}: ${what}: ${res.status} ${code}${tag(text, "Message") ? ` (${tag(text, "Message")})` : ""}`, res.status, code);
  }

  private info(key: string, res: Response): ObjectInfo {
    const info: ObjectInfo = { key, size: Number(res.headers.get("content-length") ?? 0), etag: res.headers.get("etag") ?? '""' };
    const range = res.headers.get("content-range");
    if (range) info.size = Number(range.split("/")[1]);
    const ct = res.headers.get("content-type");
    const cc = res.headers.get("cache-control");
    const lm = res.headers.get("last-modified");
    if (ct) info.contentType = ct;
    if (cc) info.cacheControl = cc;
    if (lm) info.uploaded = new Date(lm);
    return info;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const res = await this.send("HEAD", this.url(assertSafeKey(key)));
    if (res.status === 404) return null;
    if (!res.ok) return this.fail(res, `HEAD ${key}`);
    return this.info(key, res);
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array | null> {
    assertSafeKey(key);
    if (range) {
      if (!Number.isSafeInteger(range.offset) || !Number.isSafeInteger(range.length) || range.offset < 0 || range.length < 0) {
        throw new RangeError(`invalid byte range: ${JSON.stringify(range)}`);
      }
      if (range.length === 0) return (await this.head(key)) ? new Uint8Array(0) : null;
    }
    const headers: Record<string, string> = range ? { range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : {};
    const res = await this.send("GET", this.url(key), headers);
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    // 416: the range starts past the end; answer like LocalBucket (empty) when the object exists.
    if (res.status === 416) {
      await res.body?.cancel();
      return (await this.head(key)) ? new Uint8Array(0) : null;
    }
    if (!res.ok) return this.fail(res, `GET ${key}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  async getStream(key: string): Promise<ObjectBody | null> {
    const res = await this.send("GET", this.url(assertSafeKey(key)));
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok || !res.body) return this.fail(res, `GET ${key}`);
    return { ...this.info(key, res), body: res.body };
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<boolean> {
    assertSafeKey(key);
    const bytes = typeof body === "string" ? enc.encode(body) : body;
    const headers: Record<string, string> = { "content-type": options.contentType ?? guessContentType(key) };
    if (options.cacheControl) headers["cache-control"] = options.cacheControl;
    // Conditional write (S3 since 2024, R2): the server refuses with 412 when the key exists.
    if (options.ifAbsent) headers["if-none-match"] = "*";
    const res = await this.send("PUT", this.url(key), headers, bytes);
    if (res.status === 412 && options.ifAbsent) {
      await res.body?.cancel();
      return false;
    }
    if (!res.ok) return this.fail(res, `PUT ${key}`);
    await res.body?.cancel();
    return true;
  }

  async delete(key: string): Promise<void> {
    const res = await this.send("DELETE", this.url(assertSafeKey(key)));
    if (!res.ok && res.status !== 404) return this.fail(res, `DELETE ${key}`);
    await res.body?.cancel();
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertSafePrefix(prefix);
    let token: string | undefined;
    do {
      const query: Record<string, string> = { "list-type": "2", prefix: this.prefix + prefix, "max-keys": String(this.pageSize) };
      if (token) query["continuation-token"] = token;
      const res = await this.send("GET", this.url(null, query));
      if (!res.ok) return this.fail(res, `LIST ${prefix}`);
      const xml = await res.text();
      for (const m of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const key = tag(m[1]!, "Key")!.slice(this.prefix.length);
        const lm = tag(m[1]!, "LastModified");
        // ListObjectsV2 carries no Content-Type: guessed from the name, as LocalBucket does.
        yield { key, size: Number(tag(m[1]!, "Size") ?? 0), etag: tag(m[1]!, "ETag") ?? '""', contentType: guessContentType(key), ...(lm ? { uploaded: new Date(lm) } : {}) };
      }
      token = tag(xml, "IsTruncated") === "true" ? tag(xml, "NextContinuationToken") : undefined;
    } while (token);
  }
}
