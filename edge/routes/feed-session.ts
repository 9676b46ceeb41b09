// The session whose signals shape a personal read: only a returning visitor's (its session cookie
// came with the request) or a signed-in one. A session minted for this very request has no history,
// so it reads as cold: no DB round trip, deterministic and cacheable (bots and benchmarks included).
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { SESSION_COOKIE } from "../services/session-cookie.ts";

export interface ReadSession {
  id: string;
  userId: string | null;
}

export function returningSession(c: Context): ReadSession | null {
  const s = c.get("session") as ReadSession | undefined;
  if (!s || typeof s.id !== "string") return null;
  if (!s.userId && !getCookie(c, SESSION_COOKIE)) return null;
  return { id: s.id, userId: s.userId ?? null };
}

export const PRIVATE = "private, no-store";
export const SHORT = "public, max-age=60";
export const LONG = "public, max-age=300";

/**
 * A public read's answer is a pure function of the read model and the URL, so its ETag can be derived
 * from both without hashing the body (hono/etag keeps an ETag a route has set, and still answers 304).
 */
export async function modelEtag(c: Context, models: { current(): Promise<{ key: string }> }): Promise<void> {
  const key = `${(await models.current()).key}|${c.req.url}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 0x01000193);
    h2 = Math.imul(h2 ^ ch, 0x5bd1e995);
  }
  c.header("ETag", `W/"${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}"`);
}
