// ETags and 304s for GET/HEAD. A route that knows its version sets its own ETag (feed-session.ts
// `modelEtag`, no body hashing); otherwise the body's SHA-1 is the tag. Answers marked `no-store` get
// none: nothing may keep them, so nothing revalidates them, and hashing them was pure cost.
import type { MiddlewareHandler } from "hono";

/** Headers a 304 keeps (RFC 9110 §15.4.5). */
const RETAINED_304 = ["cache-control", "content-location", "date", "etag", "expires", "vary"];

const stripWeak = (tag: string) => tag.replace(/^W\//, "");

function matches(tag: string, ifNoneMatch: string | null): boolean {
  if (ifNoneMatch === null) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const want = stripWeak(tag);
  return (ifNoneMatch.match(/(W\/)?"[^"]*"/g) ?? []).some((t) => stripWeak(t) === want);
}

async function sha1Tag(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", body));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return `"${hex}"`;
}

export function etag(): MiddlewareHandler {
  return async (c, next) => {
    const ifNoneMatch = c.req.header("If-None-Match") ?? null;
    await next();
    if ((c.req.method !== "GET" && c.req.method !== "HEAD") || c.res.status !== 200) return;
    let tag = c.res.headers.get("ETag");
    if (!tag) {
      if (/\bno-store\b/i.test(c.res.headers.get("Cache-Control") ?? "")) return;
      tag = await sha1Tag(await c.res.clone().arrayBuffer());
      c.res.headers.set("ETag", tag);
    }
    if (!matches(tag, ifNoneMatch)) return;
    const headers = new Headers();
    for (const name of RETAINED_304) {
      const v = c.res.headers.get(name);
      if (v !== null) headers.set(name, v);
    }
    await c.res.body?.cancel();
    c.res = undefined; // replace, not merge: a 304 carries only the retained headers
    c.res = new Response(null, { status: 304, headers });
  };
}
