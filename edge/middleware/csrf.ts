// CSRF protection for cookie-authenticated writes (POST/PUT/PATCH/DELETE under /api).
// A write passes when ANY of these holds:
//   1. `Sec-Fetch-Site: same-origin` (every current browser sends it, also on plain HTML form posts), or
//      `none` (typed by the user);
//   2. no Sec-Fetch-Site, and `Origin` equals the request's own origin (or one of `allowedOrigins`);
//   3. header `x-csrf-token` (or form field `_csrf`) equals the session's token from GET /api/session —
//      an HMAC of the session id, so it needs no storage and dies with the session.
// Anything else (cross-site form posts, cross-origin fetches) is a 403 `csrf_failed`. The cookie is also
// SameSite=Lax, so cross-site sub-requests never carry it in the first place.
// A write WITHOUT a session cookie rides on no one's session (it gets a fresh one), so it needs no check —
// API clients can post (e.g. reverse image search) — except sign-in/up, against login CSRF.
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { HttpError } from "../errors.ts";
import { readCapped } from "./read-capped.ts";
import { type CookieSigner, SESSION_COOKIE, timingSafeEqual } from "../services/session-cookie.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
const MAX_FORM_BYTES = 64 * 1024;

export const csrfToken = (signer: CookieSigner, sessionId: string): Promise<string> => signer.mac(`csrf|${sessionId}`);

/**
 * The `_csrf` field of a small form (a no-JS post). Read from a copy of the body, capped: this runs before
 * any route's own size limit (an upload's 5 MiB), so a bigger form must send the header instead.
 */
async function formToken(req: Request, type: string): Promise<string | undefined> {
  try {
    const bytes = await readCapped(req.clone(), MAX_FORM_BYTES);
    const form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } }).formData();
    const field = form.get("_csrf");
    return typeof field === "string" ? field : undefined;
  } catch {
    return undefined; // too big or malformed: no token from the body
  }
}

export function csrf(signer: CookieSigner, allowedOrigins: readonly string[] = []): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    if (getCookie(c, SESSION_COOKIE) === undefined && !c.req.path.startsWith("/api/account/")) return next();
    const site = c.req.header("sec-fetch-site");
    const origin = c.req.header("origin");
    const own = new URL(c.req.url).origin;
    if (site === "same-origin" || site === "none") return next();
    if (!site && origin && (origin === own || allowedOrigins.includes(origin))) return next();
    let token = c.req.header("x-csrf-token");
    const type = c.req.header("content-type") ?? "";
    if (!token && /^application\/x-www-form-urlencoded|^multipart\/form-data/i.test(type)) token = await formToken(c.req.raw, type);
    if (token && timingSafeEqual(token, await csrfToken(signer, c.get("session").id))) return next();
    throw new HttpError(403, "csrf_failed", "cross-site write refused: send it from the site's own origin, or with x-csrf-token from GET /api/session");
  };
}
