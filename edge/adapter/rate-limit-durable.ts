// Rate limits shared by every Worker isolate: one Durable Object per bucket key holds that bucket, so a
// client's sign-in attempts are counted once worldwide rather than once per isolate. The object is the
// same token bucket as the in-memory store (edge/middleware/rate-limit.ts), on the object's own clock.
// If the object cannot be reached, the isolate falls back to its own in-memory buckets (a floor, as
// before) and logs it: a rate limiter must never take the site down.
import { z } from "zod";
import type { Logger } from "../../common/log.ts";
import { MemoryRateLimitStore, type RateLimitStore, type TakeResult } from "../middleware/rate-limit.ts";

/** The slice of a Durable Object namespace binding this store uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(request: Request): Promise<Response> };
}

const Take = z.object({ key: z.string().min(1).max(400), capacity: z.number().positive().max(1e6), refillPerSec: z.number().positive().max(1e6) });
const Taken = z.object({ ok: z.boolean(), retryAfterS: z.number().min(0), remaining: z.number().min(0) });

/** The Durable Object class (wrangler.toml binds it as RATE_LIMITER). */
export class RateLimiterObject {
  private readonly buckets = new MemoryRateLimitStore(10_000);

  async fetch(request: Request): Promise<Response> {
    const body = Take.safeParse(await request.json().catch(() => null));
    if (request.method !== "POST" || !body.success) return Response.json({ error: "expected POST {key, capacity, refillPerSec}" }, { status: 400 });
    const { key, capacity, refillPerSec } = body.data;
    return Response.json(await this.buckets.take(key, capacity, refillPerSec, Date.now()));
  }
}

export class DurableObjectRateLimitStore implements RateLimitStore {
  private readonly fallback = new MemoryRateLimitStore();
  private lastWarning = -Infinity;
  private lastFailure = -Infinity;

  /** For /api/health: says so while the objects are unreachable (a failure in the last minute). */
  get kind(): string {
    return Date.now() - this.lastFailure < 60_000 ? "memory (durable-object unreachable)" : "durable-object";
  }

  constructor(
    private readonly namespace: DurableObjectNamespaceLike,
    private readonly logger: Logger,
  ) {}

  async take(key: string, capacity: number, refillPerSec: number, now: number): Promise<TakeResult> {
    try {
      const stub = this.namespace.get(this.namespace.idFromName(key));
      const res = await stub.fetch(new Request("https://rate-limiter.internal/take", { method: "POST", body: JSON.stringify({ key, capacity, refillPerSec }) }));
      if (!res.ok) throw new Error(`rate limiter object answered ${res.status}`);
      return Taken.parse(await res.json());
    } catch (err) {
      this.lastFailure = Date.now();
      if (now - this.lastWarning > 60_000) {
        this.lastWarning = now;
        this.logger.warn("shared rate limiter unreachable; limiting per isolate", { error: (err as Error).message });
      }
      return this.fallback.take(key, capacity, refillPerSec, now);
    }
  }
}
