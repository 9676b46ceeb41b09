// The crawl stage against the fixture shop's hard cases, on a small slice of the shop: robots.txt,
// retries with Retry-After, redirects, bad images, missing prices, removal and price changes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { startFixtureShop, type FixtureShop } from "../../test/fixtures/shop/server.ts";
import { openDatabase, type DbHandle } from "../../common/db/client.ts";
import { applyMigrations } from "../../common/db/migrate.ts";
import { artworks, crawlUrls, priceHistory } from "../../common/db/schema.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { createLogger } from "../../common/log.ts";
import { runCrawl, type CrawlOptions } from "./crawl.ts";
import { loadShopConfig, type ShopConfig } from "./shop-config.ts";
import { OPENCLIPART_SHOP_CONFIG as DEFAULT_SHOP_CONFIG } from "../shops/index.ts";

let shop: FixtureShop;
let dir: string;
let handle: DbHandle;
let bucket: LocalBucket;
let config: ShopConfig;
const log = createLogger({}, "error");
const ORIGIN = "https://openclipart-prints.example";

before(async () => {
  shop = await startFixtureShop({ port: 0, hardCases: true, slowMs: 300 });
  dir = await mkdtemp(join(tmpdir(), "artsnob-crawl-"));
  handle = openDatabase(`file:${join(dir, "db.sqlite")}`);
  await applyMigrations(handle.db);
  bucket = new LocalBucket(join(dir, "bucket"));
  const base = await loadShopConfig(DEFAULT_SHOP_CONFIG);
  const hard = shop.hard!;
  // A slice of the shop: page 1 of the listing (with the archive links) plus every hard-case product.
  // The product pattern deliberately also matches /private/ so only robots.txt keeps the crawler out.
  config = {
    ...base,
    sitemaps: [],
    useRobotsSitemaps: false,
    startUrls: ["/shop?page=1", ...Object.values(hard.roles).map((id) => `/art/${id}`), `/art/${multiCategory().work.id}`],
    listingUrlPattern: "^/shop\\?page=1$",
    productUrlPattern: "^/(private/)?art/[a-z0-9-]+$",
  };
});

after(async () => {
  handle?.close();
  await shop?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const crawl = (extra: Partial<CrawlOptions> = {}) =>
  runCrawl({ db: handle.db, bucket, shop: config, shopUrl: shop.url, delayMs: 0, backoffBaseMs: 50, log, progress: false, ...extra });
const multiCategory = () => shop.catalog.products.find((p) => new Set(p.work.categories).size > 1)!;
const byId = async (id: string) => (await handle.db.select().from(artworks).where(eq(artworks.canonicalUrl, `${ORIGIN}/art/${id}`)))[0];

test("hard cases: robots, retries, redirects, bad images and missing prices are handled", async () => {
  const hard = shop.hard!;
  const stats = await crawl();
  // robots.txt: the disallowed link was found and refused, never requested.
  assert.equal(shop.robotsViolations().length, 0);
  assert.ok(stats.refused >= 1);
  assert.ok(shop.requests.every((r) => r.concurrency === 1));
  // 429 and 503 with Retry-After: retried in the same run, then imported.
  assert.ok(stats.retries >= 2);
  for (const role of ["rateLimited", "unavailable", "slow", "priceChange", "removed", "redirected", "private"] as const) {
    const a = await byId(hard.roles[role]);
    assert.ok(a?.imageHash, `${role} product imported with its image`);
  }
  // The redirect chain lands on a product we already have: one artwork, not two.
  const redirected = await handle.db.select().from(artworks).where(eq(artworks.canonicalUrl, `${ORIGIN}/art/${hard.roles.redirected}`));
  assert.equal(redirected.length, 1);
  // No price: stored with a warning and no minimum price.
  const noPrice = (await byId(hard.roles.noPrice))!;
  assert.equal(noPrice.minPriceCents, null);
  assert.ok(noPrice.warnings.some((w) => w.startsWith("no price")));
  // Broken, oversized and bomb images: the work is kept with a warning and no image.
  for (const role of ["brokenImage", "oversizedImage", "bombImage"] as const) {
    const a = (await byId(hard.roles[role]))!;
    assert.equal(a.imageHash, null, role);
    assert.ok(a.warnings.some((w) => /image/.test(w)), `${role}: ${a.warnings.join("; ")}`);
  }
  // Malformed page (JSON-LD cut in half, unclosed element): stored from the CSS fallback with a warning.
  const malformed = (await byId(hard.roles.malformed))!;
  assert.ok(malformed.warnings.some((w) => w.startsWith("malformed JSON-LD")), malformed.warnings.join("; "));
  assert.ok(malformed.title.length > 0 && malformed.sizes.length > 0);
  // A work filed under two categories: one artwork carrying both.
  const multi = await handle.db.select().from(artworks).where(eq(artworks.canonicalUrl, `${ORIGIN}/art/${multiCategory().work.id}`));
  assert.equal(multi.length, 1);
  assert.ok(multi[0]!.categories.length >= 2, multi[0]!.categories.join());
  // Exact duplicate image on another product: linked as another offer of the earlier work.
  const dup = (await byId(hard.roles.duplicateImage))!;
  assert.equal(dup.duplicateOf, noPrice.id);
  assert.ok(stats.duplicates >= 1);
  // Wrong content type for an image: rejected with a warning.
  assert.ok((await byId(hard.roles.wrongImageType))!.warnings.some((w) => /content-type/.test(w)));
  // SSRF redirect and off-site link: refused, never requested.
  assert.ok(!shop.requests.some((r) => r.host.includes("169.254") || r.host.includes("elsewhere")));
  // 404 is gone, the redirect loop failed; neither crashed the crawl.
  const state = async (path: string) => (await handle.db.select().from(crawlUrls).where(eq(crawlUrls.url, `${ORIGIN}${path}`)))[0]?.state;
  assert.equal(await state(hard.paths.missing), "gone");
  assert.equal(await state(hard.paths.redirectLoop), "failed");
  assert.equal(await state(hard.paths.private), undefined, "disallowed URL never enters the frontier");
});

test("second revision: price change recorded with time, removed product marked (not deleted)", async () => {
  const hard = shop.hard!;
  const before = (await byId(hard.roles.priceChange))!;
  shop.setRevision(2);
  const stats = await crawl({ revisitAfterHours: 0 });
  assert.ok(stats.notModified > 0, "unchanged products answered 304");
  const changed = (await byId(hard.roles.priceChange))!;
  assert.ok(changed.minPriceCents! > before.minPriceCents!);
  assert.equal(changed.id, before.id, "stable id");
  const history = await handle.db.select().from(priceHistory).where(eq(priceHistory.artworkId, changed.id));
  assert.equal(history.length, 2);
  const removed = (await byId(hard.roles.removed))!;
  assert.equal(removed.status, "removed");
});

test("politeness: the delay separates requests to one host; bad URLs are refused", async () => {
  const start = shop.requests.length;
  await crawl({ delayMs: 150, maxProducts: 2, revisitAfterHours: 0 });
  const reqs = shop.requests.slice(start);
  assert.ok(reqs.length >= 3);
  for (let i = 1; i < reqs.length; i++) assert.ok(reqs[i]!.at - reqs[i - 1]!.at >= 140, `gap ${reqs[i]!.at - reqs[i - 1]!.at} ms`);
  await assert.rejects(crawl({ shopUrl: "ftp://127.0.0.1/" }), /must be http/);
});
