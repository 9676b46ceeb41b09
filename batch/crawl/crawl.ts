// Crawl stage: robots.txt → sitemaps/listings → product pages → images, for one shop given as
// configuration. Input: a shop config (+ run-time base URL). Output: rows in artworks and
// crawl_urls, images in the bucket, one crawl_runs row with the stats.
import { eq } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";
import { artworks, crawlRuns } from "../../common/db/schema.ts";
import type { Bucket } from "../../common/bucket/types.ts";
import { createLogger, type Logger } from "../../common/log.ts";
import { sha256Hex } from "../../common/artifacts/format.ts";
import { PoliteFetcher, BOT_TOKEN, DEFAULT_DELAY_MS, FetchError, type FetchResult } from "./fetcher.ts";
import { crawlDelayMs, isAllowed, parseRobots, type Robots } from "./robots.ts";
import { pathAndQuery, resolveShop, type ShopConfig } from "./shop-config.ts";
import { extractLinks, extractProduct, parseListingJson, parseSitemap } from "./extract.ts";
import { createAddressGuard, type Resolver } from "./ssrf.ts";
import { DuplicateIndex } from "./duplicates.ts";
import { loadHook } from "./hooks.ts";
import { Frontier, type CrawlUrl } from "./frontier.ts";
import { buildAffiliateUrl, type ArtworkRecord, ensureShop, findBySource, markRemovedBySource, touchArtworkBySource, upsertArtwork } from "./artwork-store.ts";
import { ImageError, storeImage } from "./images.ts";
import { minPriceCents } from "./sizes.ts";
import { createProgress, progressEnabledByDefault } from "../progress.ts";

export interface CrawlOptions {
  db: Db;
  bucket: Bucket;
  shop: ShopConfig;
  /** Fetch the shop from here instead of its configured baseUrl (fixture shop on a random port). */
  shopUrl?: string;
  /** Gap between requests to one host; default 1000 ms. Lower values are logged as a warning. */
  delayMs?: number;
  /** Stop after this many product pages (the rest stays queued for the next run). */
  maxProducts?: number;
  /** Hard cap on HTTP requests in this run; default the shop's maxRequestsPerRun. */
  maxRequests?: number;
  /** Adaptive delay (AutoThrottle) on top of delayMs; default true. Benchmarks turn it off. */
  adaptiveDelay?: boolean;
  /** How long a fetched robots.txt is trusted; capped at 24 h (RFC 9309 §2.4). */
  robotsTtlMs?: number;
  /** DNS resolver for the SSRF guard (tests). */
  resolver?: Resolver;
  /** Override the config's revisit window; 0 re-checks every known product with a conditional GET. */
  revisitAfterHours?: number;
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxImageBytes?: number;
  backoffBaseMs?: number;
  userAgent?: string;
  log?: Logger;
  progress?: boolean;
}

export interface CrawlStats {
  runId: number;
  requests: number;
  retries: number;
  bytes: number;
  sitemaps: number;
  listings: number;
  products: number;
  inserted: number;
  updated: number;
  unchanged: number;
  notModified: number;
  skippedLastmod: number;
  gone: number;
  failed: number;
  refused: number;
  imagesStored: number;
  imagesNotModified: number;
  imageErrors: number;
  warnings: number;
  /** Listings linked to an earlier work with the same or a near-identical image. */
  duplicates: number;
  ms: number;
}

const HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";

/** RFC 9309 §2.4: a cached robots.txt should not be used for more than 24 hours. */
export const ROBOTS_MAX_AGE_MS = 24 * 3600_000;

export async function runCrawl(opts: CrawlOptions): Promise<CrawlStats> {
  const t0 = Date.now();
  const log = (opts.log ?? createLogger()).child({ stage: "crawl", shop: opts.shop.id });
  const shop = resolveShop(opts.shop, opts.shopUrl);
  const delayMs = opts.delayMs ?? DEFAULT_DELAY_MS;
  if (delayMs < DEFAULT_DELAY_MS) log.warn("politeness delay lowered by flag", { delayMs, defaultMs: DEFAULT_DELAY_MS, fetchOrigin: shop.fetchOrigin });
  const { db } = opts;
  await ensureShop(db, opts.shop);
  const [run] = await db.insert(crawlRuns).values({ shopId: opts.shop.id }).returning({ id: crawlRuns.id });
  const runId = run!.id;
  const stats: CrawlStats = { runId, requests: 0, retries: 0, bytes: 0, sitemaps: 0, listings: 0, products: 0, inserted: 0, updated: 0, unchanged: 0, notModified: 0, skippedLastmod: 0, gone: 0, failed: 0, refused: 0, imagesStored: 0, imagesNotModified: 0, imageErrors: 0, warnings: 0, duplicates: 0, ms: 0 };
  const robotsByOrigin = new Map<string, Robots>();
  const robotsFetchedAt = new Map<string, number>();
  const robotsTtlMs = Math.min(opts.robotsTtlMs ?? ROBOTS_MAX_AGE_MS, ROBOTS_MAX_AGE_MS);
  const maxRequests = opts.maxRequests ?? opts.shop.maxRequestsPerRun;
  const hook = await loadHook(opts.shop.hook);
  const dupes = await DuplicateIndex.load(db);
  /** Request cap, checked by the fetcher only (discovery still queues URLs for the next run). */
  const check = (url: string): string | null => {
    if (fetcher.requests.count >= maxRequests) return `request cap ${maxRequests} reached`;
    return policy(url);
  };
  /** Scheme, allowed hosts and robots.txt: decides whether a URL may ever be fetched. */
  const policy = (url: string): string | null => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return `not a URL: ${url}`;
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") return `scheme ${u.protocol} refused`;
    if (!shop.allowedHosts.has(u.host)) return `host ${u.host} is not in the shop's allowed hosts`;
    if (u.pathname === "/robots.txt") return null;
    const robots = robotsByOrigin.get(u.origin);
    if (!robots) return `robots.txt of ${u.origin} not loaded`;
    return isAllowed(robots, BOT_TOKEN, url) ? null : `disallowed by robots.txt: ${u.pathname}`;
  };
  const fetcher = new PoliteFetcher({
    delayMs,
    ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}),
    ...(opts.backoffBaseMs !== undefined ? { backoffBaseMs: opts.backoffBaseMs } : {}),
    log,
    hostDelayMs: (host) => {
      for (const [origin, robots] of robotsByOrigin) if (new URL(origin).host === host) return crawlDelayMs(robots, BOT_TOKEN);
      return null;
    },
    check: (url) => check(url),
    // SSRF: only the host the operator configured as the shop may be a private/loopback address.
    checkAddress: createAddressGuard([new URL(shop.fetchOrigin).host], opts.resolver),
    ...(opts.adaptiveDelay !== undefined ? { adaptive: opts.adaptiveDelay } : {}),
  });
  if (opts.adaptiveDelay === false) log.warn("adaptive delay turned off by flag", { delayMs });
  const frontier = new Frontier(db, opts.shop.id);
  const revisitHours = opts.revisitAfterHours ?? opts.shop.revisitAfterHours;
  const revisitBefore = new Date(Date.now() - revisitHours * 3600_000).toISOString();
  const progress = createProgress(
    "crawl",
    opts.progress ?? progressEnabledByDefault(),
    "queued {queued} fetched {fetched} 304 {nm} skipped {skipped} failed {failed} | new {inserted} upd {updated} dup {dup} | {rate} req/s",
  );

  /** robots.txt per origin, re-fetched when older than the TTL (≤ 24 h) so weeks-long runs follow changes. */
  const loadRobots = async (origin: string): Promise<Robots> => {
    const cached = robotsByOrigin.get(origin);
    if (cached && Date.now() - (robotsFetchedAt.get(origin) ?? 0) < robotsTtlMs) return cached;
    let robots: Robots;
    try {
      const res = await fetcher.get(`${origin}/robots.txt`, { accept: "text/plain" });
      if (res.status >= 200 && res.status < 300) robots = parseRobots(new TextDecoder().decode(res.body));
      else if (res.status >= 400 && res.status < 500) robots = { groups: [], sitemaps: [], fallback: "allow-all" };
      else robots = { groups: [], sitemaps: [], fallback: "disallow-all" };
    } catch (e) {
      log.warn("robots.txt unreachable; treating the host as disallowed", { origin, error: (e as Error).message });
      robots = { groups: [], sitemaps: [], fallback: "disallow-all" };
    }
    robotsByOrigin.set(origin, robots);
    robotsFetchedAt.set(origin, Date.now());
    return robots;
  };

  /** True when the URL may be queued: on an allowed host, matching a pattern, allowed by robots. */
  const mayFetch = (logical: string): boolean => {
    const reason = policy(shop.toFetchUrl(logical));
    if (reason) {
      stats.refused++;
      log.debug("refused", { url: logical, reason });
      return false;
    }
    return true;
  };

  const discover = async (url: string, kind: "sitemap" | "listing" | "product", lastmod?: string | null, force = false) => {
    if (!mayFetch(url)) return;
    const outcome = await frontier.discover(url, kind, { runId, lastmod: lastmod ?? null, revisitBefore, force });
    if (outcome === "skipped" && kind === "product") stats.skippedLastmod++;
  };

  const classify = (url: string): "product" | "listing" | null => {
    if (!shop.allowedHosts.has(new URL(url).host) || new URL(url).origin !== shop.logicalOrigin) return null;
    const pq = pathAndQuery(url);
    if (shop.productPattern.test(pq)) return "product";
    if (shop.listingPattern?.test(pq)) return "listing";
    return null;
  };

  try {
    // 1. robots.txt of the shop, then seeds.
    const robots = await loadRobots(shop.fetchOrigin);
    if (robots.fallback === "disallow-all") throw new Error(`robots.txt of ${shop.fetchOrigin} could not be read (5xx or unreachable): not crawling`);
    const seeds = new Set<string>();
    for (const s of opts.shop.sitemaps) seeds.add(new URL(s, shop.logicalOrigin).toString());
    if (opts.shop.useRobotsSitemaps) for (const s of robots.sitemaps) seeds.add(shop.toLogicalUrl(new URL(s, shop.fetchOrigin).toString()));
    for (const s of seeds) await discover(s, "sitemap", null, true);
    for (const s of opts.shop.startUrls) {
      const url = new URL(s, shop.logicalOrigin).toString();
      await discover(url, classify(url) ?? "listing", null, true);
    }
    // Sitemaps and listings may answer 304 and list nothing; products due for a re-check are queued here.
    const stale = await frontier.requeueStale(revisitBefore, runId);
    if (stale) log.info("re-checking products", { count: stale, fetchedBefore: revisitBefore });
    progress.setTotal(await frontier.countQueued());

    // 2. Drain the frontier.
    let productsThisRun = 0;
    for (;;) {
      if (opts.maxProducts !== undefined && productsThisRun >= opts.maxProducts) break;
      if (fetcher.requests.count >= maxRequests) {
        log.warn("request cap reached; the rest stays queued for the next run", { maxRequests });
        break;
      }
      // robots.txt older than its TTL is fetched again before the next request; a 5xx stops the run.
      if ((await loadRobots(shop.fetchOrigin)).fallback === "disallow-all") {
        log.warn("robots.txt became unreadable (5xx or unreachable): stopping; the queue is kept", { origin: shop.fetchOrigin });
        break;
      }
      const row = await frontier.next();
      if (!row) break;
      if (row.kind === "product") productsThisRun++;
      try {
        await processUrl(row);
      } catch (e) {
        // A bug or odd input on one URL must not end the crawl; the URL is retried in a later run.
        stats.failed++;
        log.error("unexpected error on URL", { url: row.url, error: e as Error });
        await frontier.finish(row.url, { state: "failed", error: String((e as Error).message).slice(0, 500), incrementAttempts: true, nextAttemptAt: retryAt(row.attempts + 1) });
      }
      const queued = await frontier.countQueued();
      const seconds = Math.max(0.001, (Date.now() - t0) / 1000);
      progress.setTotal(stats.sitemaps + stats.listings + stats.products + stats.failed + stats.refused + queued);
      progress.increment({ queued, fetched: fetcher.requests.count, nm: stats.notModified, skipped: stats.skippedLastmod + stats.refused, failed: stats.failed, inserted: stats.inserted, updated: stats.updated, dup: stats.duplicates, rate: (fetcher.requests.count / seconds).toFixed(1) });
    }
  } finally {
    progress.stop();
    Object.assign(stats, { requests: fetcher.requests.count, retries: fetcher.requests.retries, bytes: fetcher.requests.bytes, ms: Date.now() - t0 });
    const { runId: _r, ...numbers } = stats;
    await db.update(crawlRuns).set({ finishedAt: new Date().toISOString(), stats: numbers }).where(eq(crawlRuns.id, runId));
  }
  log.info("crawl finished", { ...stats });
  return stats;

  async function fetchRow(row: CrawlUrl, accept: string): Promise<FetchResult | null> {
    try {
      return await fetcher.get(shop.toFetchUrl(row.url), { etag: row.etag, lastModified: row.lastModified, accept });
    } catch (e) {
      const err = e as FetchError;
      const refused = err instanceof FetchError && err.kind === "refused";
      if (refused && opts.maxRequests !== undefined && fetcher.requests.count >= opts.maxRequests) return null; // stays queued
      if (refused) stats.refused++;
      else stats.failed++;
      await frontier.finish(row.url, { state: refused ? "skipped" : "failed", error: err.message.slice(0, 500), incrementAttempts: true, nextAttemptAt: retryAt(row.attempts + 1) });
      log.warn(refused ? "refused" : "fetch failed", { url: row.url, error: err.message });
      return null;
    }
  }

  async function processUrl(row: CrawlUrl): Promise<void> {
    const accept = row.kind === "sitemap" ? "application/xml,text/xml;q=0.9,*/*;q=0.5" : HTML;
    const res = await fetchRow(row, accept);
    if (!res) return;
    const validators = { etag: res.headers.get("etag"), lastModified: res.headers.get("last-modified"), statusCode: res.status };
    if (row.kind === "sitemap") stats.sitemaps++;
    else if (row.kind === "listing") stats.listings++;
    else stats.products++;

    if (res.notModified) {
      stats.notModified++;
      if (row.kind === "product") await touchArtworkBySource(db, opts.shop.id, row.url);
      await frontier.finish(row.url, { state: "done", statusCode: 304 });
      if (row.kind === "listing" || row.kind === "sitemap") await frontier.requeueKind(row.kind, runId);
      return;
    }
    if (res.status === 404 || res.status === 410) {
      stats.gone++;
      if (row.kind === "product") await markRemovedBySource(db, opts.shop.id, row.url);
      await frontier.finish(row.url, { state: "gone", statusCode: res.status });
      return;
    }
    if (res.status < 200 || res.status >= 300) {
      stats.failed++;
      const retryAfter = res.headers.get("retry-after");
      await frontier.finish(row.url, { state: "failed", statusCode: res.status, error: `HTTP ${res.status}`, incrementAttempts: true, nextAttemptAt: retryAt(row.attempts + 1, retryAfter) });
      log.warn("fetch failed", { url: row.url, status: res.status });
      return;
    }
    const text = new TextDecoder().decode(res.body);
    const bodyHash = await sha256Hex(res.body);
    const finalUrl = shop.toLogicalUrl(res.url);

    if (row.kind === "sitemap") {
      const { urls, sitemaps } = parseSitemap(text);
      for (const s of sitemaps) await discover(shop.toLogicalUrl(new URL(s, res.url).toString()), "sitemap");
      for (const u of urls) {
        const logical = shop.resolve(u.loc, res.url);
        if (logical && classify(logical) === "product") await discover(logical, "product", u.lastmod);
        else if (logical && classify(logical) === "listing") await discover(logical, "listing");
      }
      await frontier.finish(row.url, { state: "done", ...validators, contentHash: bodyHash });
      return;
    }
    const contentType = res.headers.get("content-type") ?? "";
    if (row.kind === "listing" && opts.shop.listingApi && /json/i.test(contentType)) {
      const { items, next, warnings } = parseListingJson(text, res.url, shop);
      for (const w of warnings) log.warn("listing API", { url: row.url, warning: w });
      for (const item of items) if (classify(item.url) === "product") await discover(item.url, "product", item.lastmod);
      if (next && classify(next) === "listing") await discover(next, "listing");
      await frontier.finish(row.url, { state: "done", ...validators, contentHash: bodyHash });
      return;
    }
    if (!/html/i.test(contentType)) {
      stats.failed++;
      await frontier.finish(row.url, { state: "failed", statusCode: res.status, error: `unexpected content-type ${contentType}` });
      return;
    }
    if (row.kind === "listing") {
      const { links, next } = extractLinks(text, finalUrl, shop);
      if (next && classify(next) === "listing") await discover(next, "listing");
      for (const l of links) {
        const kind = classify(l);
        if (kind === "product") await discover(l, "product");
        else if (kind === "listing") await discover(l, "listing");
      }
      await frontier.finish(row.url, { state: "done", ...validators, contentHash: bodyHash });
      return;
    }

    // Product page. Same bytes as last time and the artwork is stored: nothing to do.
    const known = await findBySource(db, opts.shop.id, row.url);
    if (known && row.contentHash === bodyHash && known.imageHash) {
      stats.unchanged++;
      await touchArtworkBySource(db, opts.shop.id, row.url);
      await frontier.finish(row.url, { state: "done", ...validators, contentHash: bodyHash });
      return;
    }
    let p = extractProduct(text, res.url, shop);
    if (hook?.afterExtract) p = hook.afterExtract(p, { html: text, url: res.url, state: p.state ?? null });
    const warnings = [...p.warnings];
    let image: ArtworkRecord["image"] = null;
    if (p.imageUrl) image = await fetchImage(p.imageUrl, known, warnings);
    const sizes = p.offers.map((o) => o.size);
    const cheapest = [...p.offers].sort((a, b) => (a.size.priceCents ?? Infinity) - (b.size.priceCents ?? Infinity))[0];
    const affiliateUrl = buildAffiliateUrl(opts.shop, { offerUrl: cheapest?.url ?? null, url: p.canonicalUrl, size: cheapest?.size.key ?? null });
    if (!affiliateUrl) warnings.push("affiliate template produced no valid URL");
    const result = await upsertArtwork(db, {
      shopId: opts.shop.id,
      sourceUrl: row.url,
      canonicalUrl: p.canonicalUrl,
      title: p.title ?? "Untitled",
      artist: p.artist,
      description: p.description,
      tags: p.tags,
      categories: p.categories,
      sizes,
      currency: sizes[0]?.currency ?? opts.shop.currency,
      minPriceCents: minPriceCents(sizes),
      imageUrl: p.imageUrl,
      image,
      affiliateUrl,
      warnings,
    }, dupes);
    stats[result.outcome]++;
    if (result.duplicateOf !== null && result.outcome !== "unchanged") {
      stats.duplicates++;
      log.info("duplicate work linked as another offer", { url: row.url, id: result.id, duplicateOf: result.duplicateOf, how: result.duplicateHow });
    }
    if (warnings.length) stats.warnings++;
    await frontier.finish(row.url, { state: "done", ...validators, contentHash: bodyHash });
  }

  async function fetchImage(imageUrl: string, known: { imageHash: string | null; imageUrl: string | null } | undefined, warnings: string[]): Promise<ArtworkRecord["image"]> {
    const fetchUrl = shop.toFetchUrl(imageUrl);
    const origin = new URL(fetchUrl).origin;
    if (shop.allowedHosts.has(new URL(fetchUrl).host)) await loadRobots(origin);
    const state = await frontier.get(imageUrl);
    const sameImage = known?.imageHash && known.imageUrl === imageUrl && state?.contentHash === known.imageHash;
    let res: FetchResult;
    try {
      res = await fetcher.get(fetchUrl, { accept: "image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8", ...(sameImage ? { etag: state?.etag, lastModified: state?.lastModified } : {}), maxBodyBytes: opts.maxImageBytes ?? 20 * 1024 * 1024 });
    } catch (e) {
      stats.imageErrors++;
      warnings.push(`image not fetched: ${(e as Error).message}`);
      return null;
    }
    if (res.notModified && sameImage) {
      stats.imagesNotModified++;
      const a = (await db.select().from(artworks).where(eq(artworks.imageHash, known!.imageHash!)).limit(1))[0];
      if (a && a.imageWidth && a.imageHeight && a.phash && a.imageVariants.jpg500) return { hash: a.imageHash!, width: a.imageWidth, height: a.imageHeight, variants: a.imageVariants, phash: a.phash };
      // Stored before variants or the perceptual hash existed: complete them from the original in the bucket.
      const original = a?.imageVariants.original ? await opts.bucket.get(a.imageVariants.original) : null;
      if (original) {
        const stored = await storeImage(opts.bucket, original, opts.shop.images).catch(() => null);
        if (stored) return { hash: stored.hash, width: stored.width, height: stored.height, variants: stored.variants, phash: stored.phash };
      }
    }
    const type = res.headers.get("content-type") ?? "";
    if (res.status === 200 && !/^image\//i.test(type)) {
      stats.imageErrors++;
      warnings.push(`image rejected: unexpected content-type ${type || "(none)"}`);
      await frontier.remember(imageUrl, "image", runId, { state: "failed", statusCode: res.status, error: `content-type ${type}` });
      return null;
    }
    if (res.status !== 200) {
      stats.imageErrors++;
      warnings.push(`image answered HTTP ${res.status}`);
      await frontier.remember(imageUrl, "image", runId, { state: "failed", statusCode: res.status, error: `HTTP ${res.status}` });
      return null;
    }
    try {
      const stored = await storeImage(opts.bucket, res.body, opts.shop.images);
      if (stored.written > 0) stats.imagesStored++;
      await frontier.remember(imageUrl, "image", runId, { etag: res.headers.get("etag"), lastModified: res.headers.get("last-modified"), contentHash: stored.hash, statusCode: res.status });
      return { hash: stored.hash, width: stored.width, height: stored.height, variants: stored.variants, phash: stored.phash };
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      stats.imageErrors++;
      warnings.push(`image rejected: ${e.message}`);
      await frontier.remember(imageUrl, "image", runId, { state: "failed", statusCode: res.status, error: e.message });
      return null;
    }
  }
}

/** When a failed URL may be tried again: Retry-After if given, else exponential in the attempt count. */
function retryAt(attempts: number, retryAfter?: string | null): string {
  const seconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : Math.min(3600 * 24, 60 * 2 ** Math.min(attempts, 10));
  return new Date(Date.now() + seconds * 1000).toISOString();
}


// Own entry point: `tsx batch/crawl/crawl.ts --shop-url http://127.0.0.1:PORT --delay-ms 0`.
if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("crawl")); // no top-level await: the pipeline imports this module
