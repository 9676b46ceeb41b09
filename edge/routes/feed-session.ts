// The session whose signals shape a personal read: only a returning visitor's (its cookie came with
// the request). A session minted for this very request has no history, so it reads as cold and
// costs no DB round trip (bots and benchmarks included).
import type { Context } from "hono";

export interface ReadSession {
  id: string;
  userId: string | null;
}

export function returningSession(c: Context): ReadSession | null {
  const s = c.get("session") as ReadSession | undefined;
  if (!s || typeof s.id !== "string") return null;
  if (c.get("sessionChanged") === true && !s.userId) return null;
  return { id: s.id, userId: s.userId ?? null };
}

export const PRIVATE = "private, no-store";
export const SHORT = "public, max-age=60";
export const LONG = "public, max-age=300";
