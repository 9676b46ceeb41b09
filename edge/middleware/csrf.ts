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
import { type CookieSigner, SESSION_COOKIE, timingSafeEqual } from "../services/session-cookie.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export const csrfToken = (signer: CookieSigner, sessionId: string): Promise<string> => signer.mac(`csrf|${sessionId}`);

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
    if (!token && /^application\/x-www-form-urlencoded|^multipart\/form-data/.test(c.req.header("content-type") ?? "")) {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      if (typeof form._csrf === "string") token = form._csrf;
    }
    if (token && timingSafeEqual(token, await csrfToken(signer, c.get("session").id))) return next();
    throw new HttpError(403, "csrf_failed", "cross-site write refused: send it from the site's own origin, or with x-csrf-token from GET /api/session");
  };
}
