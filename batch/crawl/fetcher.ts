// The only way the crawler touches the network: one request at a time per host with a delay
// between them, an honest User-Agent, total timeouts, a body cap, manual redirects checked hop
// by hop against the allowed hosts and robots.txt, and retries with backoff on 5xx/429.
import type { Logger } from "../../common/log.ts";

export const BOT_TOKEN = "ArtSnobBot";
export const DEFAULT_USER_AGENT = `${BOT_TOKEN}/0.1 (+https://github.com/art-snob/art-snob/blob/main/docs/crawler.md)`;
export const DEFAULT_DELAY_MS = 1000;

export interface FetcherOptions {
  userAgent?: string;
  /** Minimum gap between two requests to the same host (after the previous one finished). */
  delayMs?: number;
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxRetries?: number;
  backoffBaseMs?: number;
  /** Longest Retry-After we wait in-run; longer ones fail the URL for a later run. */
  maxRetryAfterMs?: number;
  maxRedirects?: number;
  /** Gatekeeper for every URL including redirect targets; returns a reason to refuse, or null. */
  check: (url: string) => string | null;
  /** Network-level gatekeeper for every hop (SSRF: private addresses), after `check`. */
  checkAddress?: (url: string) => Promise<string | null>;
  /** Adaptive delay (AutoThrottle): slow answers and errors raise the per-host delay; default on. */
  adaptive?: boolean;
  /** Ceiling of the adaptive delay. */
  maxDelayMs?: number;
  /** Extra per-host delay (robots Crawl-delay). */
  hostDelayMs?: (host: string) => number | null;
  log?: Logger;
}

export interface FetchRequest {
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
  maxBodyBytes?: number;
}

export interface FetchResult {
  /** URL that answered, after redirects. */
  url: string;
  status: number;
  headers: Headers;
  body: Uint8Array;
  notModified: boolean;
  attempts: number;
  ms: number;
}

export type FetchErrorKind = "refused" | "timeout" | "too-large" | "network" | "redirect";
export class FetchError extends Error {
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly url: string,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

export class PoliteFetcher {
  readonly requests = { count: 0, retries: 0, bytes: 0 };
  private readonly opts: Required<Omit<FetcherOptions, "log" | "hostDelayMs" | "checkAddress">> & Pick<FetcherOptions, "log" | "hostDelayMs" | "checkAddress">;
  private readonly throttle: AutoThrottle;
  /** Per-host chain: the next request starts after the previous one finished plus the delay. */
  private readonly hostTail = new Map<string, Promise<void>>();
  private readonly hostFreeAt = new Map<string, number>();

  constructor(options: FetcherOptions) {
    this.opts = {
      userAgent: DEFAULT_USER_AGENT,
      delayMs: DEFAULT_DELAY_MS,
      timeoutMs: 20_000,
      maxBodyBytes: 5 * 1024 * 1024,
      maxRetries: 3,
      backoffBaseMs: 1000,
      maxRetryAfterMs: 60_000,
      maxRedirects: 5,
      adaptive: true,
      maxDelayMs: 60_000,
      ...options,
    };
    this.throttle = new AutoThrottle(this.opts.delayMs, this.opts.maxDelayMs, this.opts.adaptive);
  }

  /** Delay now applied to a host: the adaptive one, at least robots Crawl-delay. */
  delayFor(host: string): number {
    return Math.max(this.throttle.delay(host), this.opts.hostDelayMs?.(host) ?? 0);
  }

  private async exclusive<T>(host: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.hostTail.get(host) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    this.hostTail.set(host, prev.then(() => mine));
    await prev;
    try {
      const delay = this.delayFor(host);
      const wait = (this.hostFreeAt.get(host) ?? 0) + delay - Date.now();
      if (wait > 0) await sleep(wait);
      return await fn();
    } finally {
      this.hostFreeAt.set(host, Date.now());
      release();
    }
  }

  /** GET with conditional headers; follows allowed redirects; retries 5xx/429/network errors. */
  async get(url: string, req: FetchRequest = {}): Promise<FetchResult> {
    const started = Date.now();
    let attempt = 0;
    for (;;) {
      attempt++;
      try {
        const res = await this.getFollowing(url, req);
        const retryable = res.status === 429 || res.status >= 500;
        if (!retryable || attempt > this.opts.maxRetries) return { ...res, attempts: attempt, ms: Date.now() - started };
        const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
        if (retryAfter !== null && retryAfter > this.opts.maxRetryAfterMs) return { ...res, attempts: attempt, ms: Date.now() - started };
        const wait = retryAfter ?? this.backoff(attempt);
        this.requests.retries++;
        this.opts.log?.info("retrying", { url, status: res.status, attempt, waitMs: wait });
        await sleep(wait);
      } catch (e) {
        const err = e instanceof FetchError ? e : new FetchError("network", (e as Error).message, url);
        const retryable = err.kind === "network" || err.kind === "timeout";
        if (!retryable || attempt > this.opts.maxRetries) throw err;
        this.requests.retries++;
        const wait = this.backoff(attempt);
        this.opts.log?.info("retrying", { url, error: err.message, attempt, waitMs: wait });
        await sleep(wait);
      }
    }
  }

  /** Exponential backoff with full jitter: uniform in [base·2^(n-1)/2, base·2^(n-1)]. */
  private backoff(attempt: number): number {
    const cap = this.opts.backoffBaseMs * 2 ** (attempt - 1);
    return Math.round(cap / 2 + (Math.random() * cap) / 2);
  }

  private async getFollowing(url: string, req: FetchRequest): Promise<Omit<FetchResult, "attempts" | "ms">> {
    const seen = new Set<string>();
    let current = url;
    for (let hop = 0; ; hop++) {
      const refused = this.opts.check(current) ?? (await this.opts.checkAddress?.(current)) ?? null;
      if (refused) throw new FetchError("refused", refused, current);
      if (seen.has(current)) throw new FetchError("redirect", `redirect loop at ${current}`, url);
      seen.add(current);
      const res = await this.once(current, req);
      const location = res.status >= 300 && res.status < 400 && res.status !== 304 ? res.headers.get("location") : null;
      if (!location) return res;
      if (hop >= this.opts.maxRedirects) throw new FetchError("redirect", `more than ${this.opts.maxRedirects} redirects`, url);
      current = new URL(location, current).toString();
    }
  }

  private once(url: string, req: FetchRequest): Promise<Omit<FetchResult, "attempts" | "ms">> {
    const host = new URL(url).host;
    return this.exclusive(host, async () => {
      const headers: Record<string, string> = { "user-agent": this.opts.userAgent, accept: req.accept ?? "*/*" };
      if (req.etag) headers["if-none-match"] = req.etag;
      if (req.lastModified) headers["if-modified-since"] = req.lastModified;
      const signal = AbortSignal.timeout(this.opts.timeoutMs);
      const t0 = Date.now();
      this.requests.count++;
      let res: Response;
      let body: Uint8Array;
      try {
        try {
          res = await fetch(url, { headers, redirect: "manual", signal });
        } catch (e) {
          throw toFetchError(e, url, this.opts.timeoutMs);
        }
        const max = req.maxBodyBytes ?? this.opts.maxBodyBytes;
        body = await readCapped(res, max, url, this.opts.timeoutMs);
      } catch (e) {
        const err = e as FetchError;
        if (err.kind !== "too-large") this.throttle.observe(host, Date.now() - t0, true);
        this.opts.log?.info("request", { url, status: 0, error: err.message, ms: Date.now() - t0, delayMs: this.delayFor(host) });
        throw err;
      }
      const ms = Date.now() - t0;
      this.requests.bytes += body.byteLength;
      this.throttle.observe(host, ms, res.status === 429 || res.status >= 500);
      // One structured line per request: what the operator greps when a shop owner asks.
      this.opts.log?.info("request", { url, status: res.status, bytes: body.byteLength, ms, delayMs: this.delayFor(host), conditional: Boolean(req.etag || req.lastModified) });
      return { url, status: res.status, headers: res.headers, body, notModified: res.status === 304 };
    });
  }
}

/**
 * Scrapy-style AutoThrottle with one request in flight per host: the target delay is the last
 * latency; the delay moves halfway towards it, never below the configured minimum. Errors (429, 5xx,
 * timeouts) double it and are never allowed to lower it.
 */
export class AutoThrottle {
  private readonly current = new Map<string, number>();
  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly enabled = true,
  ) {}

  delay(host: string): number {
    return this.enabled ? (this.current.get(host) ?? this.minMs) : this.minMs;
  }

  observe(host: string, latencyMs: number, error: boolean): void {
    if (!this.enabled) return;
    const old = this.delay(host);
    let next = (old + latencyMs) / 2;
    if (error) next = Math.max(old * 2, latencyMs, 250);
    next = Math.min(this.maxMs, Math.max(this.minMs, next));
    this.current.set(host, Math.round(next));
  }
}

function toFetchError(e: unknown, url: string, timeoutMs: number): FetchError {
  const err = e as Error;
  if (err.name === "TimeoutError" || err.name === "AbortError") return new FetchError("timeout", `no complete answer within ${timeoutMs} ms`, url);
  const cause = (err as { cause?: Error }).cause;
  return new FetchError("network", cause?.message ?? err.message, url);
}

async function readCapped(res: Response, max: number, url: string, timeoutMs: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    throw new FetchError("too-large", `body of ${declared} bytes exceeds ${max}`, url);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel();
        throw new FetchError("too-large", `body exceeds ${max} bytes`, url);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof FetchError) throw e;
    throw toFetchError(e, url, timeoutMs);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}
