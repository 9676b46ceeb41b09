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
