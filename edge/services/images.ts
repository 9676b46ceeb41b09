// Images from the bucket with long-lived caching: names are content-addressed, so a URL's bytes never change.
import type { Bucket } from "../../common/bucket/types.ts";
import { assertSafeKey } from "../../common/bucket/types.ts";
import { notFound } from "../errors.ts";

export const IMMUTABLE = "public, max-age=31536000, immutable";
/** Only content-addressed names (common/bucket/keys.ts imageKey) are served: `<h2>/<sha256>/<variant>.<ext>`. */
const IMAGE_PATH = /^[0-9a-f]{2}\/[0-9a-f]{64}\/[A-Za-z0-9_-]{1,32}\.[a-z0-9]{2,5}$/;

export class ImageService {
  constructor(private readonly bucket: Bucket) {}

  async serve(path: string, ifNoneMatch: string | undefined, method: string): Promise<Response> {
    if (!IMAGE_PATH.test(path)) throw notFound("image_not_found", "no such image");
    const key = assertSafeKey(`images/${path}`);
    const info = await this.bucket.head(key);
    if (!info) throw notFound("image_not_found", "no such image");
    const headers = new Headers({
      ETag: info.etag,
      "Cache-Control": IMMUTABLE,
      "X-Content-Type-Options": "nosniff",
      // SVG originals could carry script: never let them run in our origin.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    });
    if (ifNoneMatch && etagMatches(ifNoneMatch, info.etag)) return new Response(null, { status: 304, headers });
    headers.set("Content-Type", info.contentType ?? "application/octet-stream");
    headers.set("Content-Length", String(info.size));
    if (method === "HEAD") return new Response(null, { status: 200, headers });
    const obj = await this.bucket.getStream(key);
    if (!obj) throw notFound("image_not_found", "no such image");
    return new Response(obj.body, { status: 200, headers });
  }
}

function etagMatches(header: string, etag: string): boolean {
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return header.trim() === "*" || header.split(",").some((t) => bare(t) === bare(etag));
}
