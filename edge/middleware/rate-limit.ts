// Rate limits: token buckets keyed per client. The default store is in memory: exact for one Node or Deno
// process; on Workers each isolate would limit on its own, so the Worker uses the Durable Object store
// (edge/adapter/rate-limit-durable.ts) when wrangler.toml binds RATE_LIMITER.
import type { Context, MiddlewareHandler } from "hono";
import { errorBody } from "./error-handler.ts";

export interface TakeResult {
  ok: boolean;
  retryAfterS: number;
  remaining: number;
}

export interface RateLimitStore {
  /** Where the buckets live, for /api/health ("memory": this process or isolate only). */
  readonly kind?: string;
  /** Take one token from bucket `key` (capacity, refill per second); how long to wait when empty. */
  take(key: string, capacity: number, refillPerSec: number, now: number): Promise<TakeResult>;
}

export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = "memory";
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly maxKeys = 50_000) {}

  async take(key: string, capacity: number, refillPerSec: number, now: number) {
    const b = this.buckets.get(key) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * refillPerSec);
    b.at = now;
    // Re-insert so Map order is least-recently-used first; evict the oldest when full.
    this.buckets.delete(key);
    if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    this.buckets.set(key, b);
    if (b.tokens < 1) return { ok: false, retryAfterS: Math.ceil((1 - b.tokens) / refillPerSec), remaining: 0 };
    b.tokens -= 1;
    return { ok: true, retryAfterS: 0, remaining: Math.floor(b.tokens) };
  }
}

export interface RateLimitRule {
  name: string;
  capacity: number;
  refillPerSec: number;
  /** Bucket key(s) for the request; several keys must all have tokens (e.g. per client and per email). */
  keys: (c: Context) => string[] | Promise<string[]>;
}

/** The client: Cloudflare's connecting IP when present (cannot be forged behind Cloudflare), else the session. */
export const clientKey = (c: Context): string => {
  const ip = c.req.header("cf-connecting-ip");
  return ip ? `ip:${ip}` : `s:${c.get("session")?.id ?? "none"}`;
};

export function rateLimit(rule: RateLimitRule, store: RateLimitStore): MiddlewareHandler {
  return async (c, next) => {
    const now = Date.now();
    for (const key of await rule.keys(c)) {
      const r = await store.take(`${rule.name}|${key}`, rule.capacity, rule.refillPerSec, now);
      if (!r.ok) {
        return c.json(errorBody("rate_limited", `too many ${rule.name} requests; retry in ${r.retryAfterS} s`), 429, { "Retry-After": String(r.retryAfterS) });
      }
    }
    return next();
  };
}
