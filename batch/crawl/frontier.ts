// The crawl frontier and per-URL HTTP state, all in the DB table crawl_urls, so a crawl stopped
// at any moment resumes where it was. URLs are logical (the shop's configured origin).
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";
import { crawlUrls } from "../../common/db/schema.ts";

export type UrlKind = "robots" | "sitemap" | "listing" | "product" | "image";
export type CrawlUrl = typeof crawlUrls.$inferSelect;

export interface DiscoverOptions {
  runId: number;
  lastmod?: string | null;
  /** Products fetched before this instant are re-checked (conditional GET) even without a lastmod change. */
  revisitBefore: string;
  /** Seeds (sitemaps, start URLs) are fetched again on every run. */
  force?: boolean;
}

export type DiscoverOutcome = "new" | "queued" | "skipped" | "already";

export class Frontier {
  constructor(
    private readonly db: Db,
    readonly shopId: string,
  ) {}

  async get(url: string): Promise<CrawlUrl | undefined> {
    const rows = await this.db.select().from(crawlUrls).where(eq(crawlUrls.url, url)).limit(1);
    return rows[0];
  }

  /** Adds a URL or decides whether a known one needs fetching in this run. */
  async discover(url: string, kind: UrlKind, opts: DiscoverOptions): Promise<DiscoverOutcome> {
    const row = await this.get(url);
    const lastmod = opts.lastmod ?? null;
    if (!row) {
      await this.db.insert(crawlUrls).values({ url, shopId: this.shopId, kind, state: "queued", sitemapLastmod: lastmod, runId: opts.runId }).onConflictDoNothing();
      return "new";
    }
    if (row.state === "queued") {
      if (lastmod && lastmod !== row.sitemapLastmod) await this.db.update(crawlUrls).set({ sitemapLastmod: lastmod }).where(eq(crawlUrls.url, url));
      return "already";
    }
    if (row.runId === opts.runId) return "already"; // handled earlier in this run
    let requeue: boolean;
    if (opts.force || kind === "listing" || kind === "sitemap") requeue = true;
    else if (row.state === "failed" || row.state === "skipped") requeue = !row.nextAttemptAt || row.nextAttemptAt <= new Date().toISOString();
    else if (lastmod && lastmod !== row.sitemapLastmod) requeue = true;
    else if (lastmod && row.state === "done") requeue = false; // sitemap says unchanged
    else requeue = !row.fetchedAt || row.fetchedAt < opts.revisitBefore;
    // `gone` products come back when listed again.
    await this.db
      .update(crawlUrls)
      .set({ state: requeue ? "queued" : row.state, runId: opts.runId, ...(lastmod ? { sitemapLastmod: lastmod } : {}) })
      .where(eq(crawlUrls.url, url));
    return requeue ? "queued" : "skipped";
  }

  /**
   * Queues known products last fetched before `before` (periodic re-check with a conditional GET) and
   * failed ones whose retry time has come, so neither depends on a sitemap or listing answering 200.
   */
  async requeueStale(before: string, runId: number, maxAttempts = 5): Promise<number> {
    const now = new Date().toISOString();
    const rows = await this.db
      .update(crawlUrls)
      .set({ state: "queued", runId })
      .where(
        and(
          eq(crawlUrls.shopId, this.shopId),
          eq(crawlUrls.kind, "product"),
          sql`((${crawlUrls.state} = 'done' AND ${crawlUrls.fetchedAt} < ${before}) OR (${crawlUrls.state} = 'failed' AND ${crawlUrls.attempts} < ${maxAttempts} AND (${crawlUrls.nextAttemptAt} IS NULL OR ${crawlUrls.nextAttemptAt} <= ${now})))`,
        ),
      )
      .returning({ url: crawlUrls.url });
    return rows.length;
  }

  /**
   * After a listing or sitemap answered 304 its links are unknown for this run, so every known page of
   * that kind is checked too (each a cheap conditional GET); a change deep in the listing is not missed.
   */
  async requeueKind(kind: "listing" | "sitemap", runId: number): Promise<number> {
    const rows = await this.db
      .update(crawlUrls)
      .set({ state: "queued", runId })
      .where(and(eq(crawlUrls.shopId, this.shopId), eq(crawlUrls.kind, kind), eq(crawlUrls.state, "done"), sql`(${crawlUrls.runId} IS NULL OR ${crawlUrls.runId} <> ${runId})`))
      .returning({ url: crawlUrls.url });
    return rows.length;
  }

  /** Next URL to fetch: sitemaps and listings before products, oldest first. */
  async next(): Promise<CrawlUrl | undefined> {
    const now = new Date().toISOString();
    const rows = await this.db
      .select()
      .from(crawlUrls)
      .where(and(eq(crawlUrls.shopId, this.shopId), eq(crawlUrls.state, "queued"), sql`(${crawlUrls.nextAttemptAt} IS NULL OR ${crawlUrls.nextAttemptAt} <= ${now})`))
      .orderBy(sql`CASE ${crawlUrls.kind} WHEN 'robots' THEN 0 WHEN 'sitemap' THEN 1 WHEN 'listing' THEN 2 ELSE 3 END`, crawlUrls.discoveredAt, crawlUrls.url)
      .limit(1);
    return rows[0];
  }

  async countQueued(): Promise<number> {
    const rows = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(crawlUrls)
      .where(and(eq(crawlUrls.shopId, this.shopId), eq(crawlUrls.state, "queued")));
    return Number(rows[0]?.n ?? 0);
  }

  async finish(
    url: string,
    patch: { state: CrawlUrl["state"]; statusCode?: number | null; etag?: string | null; lastModified?: string | null; contentHash?: string | null; error?: string | null; nextAttemptAt?: string | null; incrementAttempts?: boolean },
  ): Promise<void> {
    const { incrementAttempts, ...rest } = patch;
    await this.db
      .update(crawlUrls)
      .set({
        ...rest,
        fetchedAt: new Date().toISOString(),
        attempts: incrementAttempts ? sql`${crawlUrls.attempts} + 1` : patch.state === "done" ? 0 : sql`${crawlUrls.attempts}`,
        ...(patch.state === "done" ? { error: null, nextAttemptAt: null } : {}),
      })
      .where(eq(crawlUrls.url, url));
  }

  /** Validators for a URL fetched inline (images): upserted without queueing. */
  async remember(url: string, kind: UrlKind, runId: number, patch: { etag?: string | null; lastModified?: string | null; contentHash?: string | null; statusCode?: number; state?: CrawlUrl["state"]; error?: string | null }): Promise<void> {
    const now = new Date().toISOString();
    const values = { state: patch.state ?? ("done" as const), ...patch, fetchedAt: now, runId };
    await this.db
      .insert(crawlUrls)
      .values({ url, shopId: this.shopId, kind, ...values })
      .onConflictDoUpdate({ target: crawlUrls.url, set: values });
  }
}
