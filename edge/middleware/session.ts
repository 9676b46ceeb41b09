// Anonymous signed session on the first visit; `c.get("session")` → { id, userId } on every route.
// - No cookie (or a bad one): a new random id, sent back as a signed cookie (except on public cacheable
//   reads). No DB write until the session first writes, so cookieless traffic costs one HMAC at most.
// - A cookie naming a user: checked against the sessions table (cached briefly per isolate) so a
//   signed-out or deleted account's old cookie falls back to a fresh anonymous session.
// - Routes that change who is signed in call `setSession(c, …)`; the cookie is re-issued after the route.
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { type CookieSigner, randomId, SESSION_COOKIE, SESSION_MAX_AGE_S } from "../services/session-cookie.ts";

export interface Session {
  id: string;
  userId: string | null;
}

declare module "hono" {
  interface ContextVariableMap {
    session: Session;
    sessionChanged: boolean;
  }
}

export interface SessionLookup {
  /** The user currently linked to a session id (null when none or the row is gone). */
  userOf(sessionId: string): Promise<string | null>;
}

const CHECK_TTL_MS = 5_000;

export function sessionMiddleware(signer: CookieSigner, lookup: SessionLookup): MiddlewareHandler {
  const checked = new Map<string, { userId: string | null; until: number }>();
  const userOf = async (id: string): Promise<string | null> => {
    const now = Date.now();
    const hit = checked.get(id);
    if (hit && hit.until > now) return hit.userId;
    const userId = await lookup.userOf(id);
    if (checked.size > 10_000) checked.clear();
    checked.set(id, { userId, until: now + CHECK_TTL_MS });
    return userId;
  };

  return async (c, next) => {
    // Immutable files never carry a cookie (they are cached by everyone).
    const path = c.req.path;
    if (c.req.method === "OPTIONS" || path.startsWith("/img/") || /\.[a-z0-9]{1,8}$/i.test(path)) return next();

    let session = await signer.verify(getCookie(c, SESSION_COOKIE));
    let issue = session === null;
    if (session?.userId) {
      const current = await userOf(session.id);
      if (current !== session.userId) {
        session = null;
        issue = true;
      }
    }
    const original = session;
    c.set("session", session ?? { id: randomId(), userId: null });
    c.set("sessionChanged", false);
    await next();

    // A new session is not announced on public, shared-cacheable reads (art, search, images …): those
    // stay cacheable by CDNs, and nothing personal happened. Site pages, private reads and writes set it.
    const publicRead = c.req.method === "GET" && /\bpublic\b/.test(c.res.headers.get("Cache-Control") ?? "");
    if (!c.get("sessionChanged") && !(issue && !publicRead)) return;
    // The SSR site forwards Set-Cookie from its in-process API calls: a first visit's page then already
    // names the session those calls created (and logged exposures for); keep that one.
    if (!c.get("sessionChanged") && c.res.headers.getSetCookie?.().some((v) => v.startsWith(`${SESSION_COOKIE}=`))) return;
    const s = c.get("session");
    if (original && original.id !== s.id) checked.delete(original.id); // signed out / rotated: stop trusting it here now
    if (s.userId) checked.set(s.id, { userId: s.userId, until: Date.now() + CHECK_TTL_MS });
    else checked.delete(s.id);
    setCookie(c, SESSION_COOKIE, await signer.sign(s.id, s.userId), {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: new URL(c.req.url).protocol === "https:",
      maxAge: SESSION_MAX_AGE_S,
    });
    // A response that sets a cookie must not be stored by shared caches.
    const cc = c.res.headers.get("Cache-Control");
    if (cc && /\bpublic\b/.test(cc)) c.res.headers.set("Cache-Control", cc.replace(/\bpublic\b/, "private"));
  };
}

/** Switch the request's session (sign-in, sign-out); the new cookie is sent with the response. */
export function setSession(c: Context, session: Session): void {
  c.set("session", session);
  c.set("sessionChanged", true);
}
