// The second fixture shop (embedded JSON state, JSON listing API, EUR, a hook for one odd field) is
// crawled with configuration only; a picture it shares with the first shop becomes one work with two
// offers; sitemap-style lastmod from the listing API skips unchanged products.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { startFixtureShop, type FixtureShop } from "../../test/fixtures/shop/server.ts";
import { startOpenmojiShop, type OpenmojiShop } from "../../test/fixtures/shop/openmoji/server.ts";
import { openDatabase, type DbHandle } from "../../common/db/client.ts";
import { applyMigrations } from "../../common/db/migrate.ts";
import { artworks, crawlUrls } from "../../common/db/schema.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { createLogger } from "../../common/log.ts";
import { runCrawl } from "./crawl.ts";
import { loadShopConfig, type ShopConfig } from "./shop-config.ts";
import { OPENCLIPART_SHOP_CONFIG, OPENMOJI_SHOP_CONFIG } from "../shops/index.ts";

let clip: FixtureShop;
let moji: OpenmojiShop;
let dir: string;
let handle: DbHandle;
let bucket: LocalBucket;
let clipConfig: ShopConfig;
let mojiConfig: ShopConfig;
const log = createLogger({}, "error");

before(async () => {
  clip = await startFixtureShop({ port: 0 });
  const shared = clip.catalog.products[5]!;
  moji = await startOpenmojiShop({ limit: 24, pageSize: 10, hardCases: true, crossList: [{ id: "shared", title: shared.work.title, imageFile: shared.imageFile }] });
  dir = await mkdtemp(join(tmpdir(), "artsnob-openmoji-"));
  handle = openDatabase(`file:${join(dir, "db.sqlite")}`);
  await applyMigrations(handle.db);
  bucket = new LocalBucket(join(dir, "bucket"));
  const base = await loadShopConfig(OPENCLIPART_SHOP_CONFIG);
  clipConfig = { ...base, sitemaps: [], useRobotsSitemaps: false, startUrls: ["/shop?page=1"], listingUrlPattern: "^/shop\\?page=1$" };
  mojiConfig = await loadShopConfig(OPENMOJI_SHOP_CONFIG);
});

after(async () => {
  handle?.close();
  await clip?.close();
  await moji?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const crawlMoji = () => runCrawl({ db: handle.db, bucket, shop: mojiConfig, shopUrl: moji.url, delayMs: 0, log, progress: false });
const mojiRows = () => handle.db.select().from(artworks).where(eq(artworks.shopId, "openmoji-stickers"));

test("a shop with JSON state and a JSON listing API is crawled from its config alone", async () => {
  await runCrawl({ db: handle.db, bucket, shop: clipConfig, shopUrl: clip.url, delayMs: 0, log, progress: false });
  const stats = await crawlMoji();
  assert.equal(stats.failed, 0);
  const rows = await mojiRows();
  assert.equal(rows.length, 25, "24 stickers + 1 cross-listed poster");
  assert.equal(moji.robotsViolations().length, 0);
  const first = moji.stickers[0]!;
  const a = rows.find((r) => r.canonicalUrl === `https://openmoji-stickers.example/emoji/${first.slug}`)!;
  assert.equal(a.title, first.title);
  assert.equal(a.artist, `${first.designer.first} ${first.designer.last}`.trim(), "designer joined by the shop hook");
  assert.equal(a.currency, "EUR");
  assert.deepEqual(a.categories, [first.group]);
  assert.ok(a.tags.length > 0);
  assert.equal(a.sizes[0]!.widthCm, 5);
  assert.equal(a.sizes[0]!.priceCents, Math.round(first.variants[0]!.price.amount * 100));
  assert.match(a.affiliateUrl!, /^https:\/\/partner\.example\/om\/.+partner=artsnob/);
  assert.deepEqual(Object.keys(a.imageVariants).sort(), ["jpg100", "jpg1200", "jpg250", "jpg500", "original", "w100", "w1200", "w250", "w500"]);
  for (const key of Object.values(a.imageVariants)) assert.ok(await bucket.head(key!), key);
  // Broken JSON state: kept with a warning, title from the HTML fallback, never a crash.
  const broken = rows.find((r) => r.canonicalUrl.endsWith(`/emoji/${moji.brokenStateSlug}`))!;
  assert.ok(broken.warnings.some((w) => w.startsWith("malformed JSON state")), broken.warnings.join("; "));
  assert.ok(broken.title.length > 0);
  // The poster re-encodes a picture of the first shop: linked as another offer of that work.
  const poster = rows.find((r) => r.canonicalUrl.endsWith("/emoji/x-shared"))!;
  const original = (await handle.db.select().from(artworks).where(and(eq(artworks.shopId, "openclipart-prints"), eq(artworks.canonicalUrl, `https://openclipart-prints.example/art/${clip.catalog.products[5]!.work.id}`))))[0]!;
  assert.notEqual(poster.imageHash, original.imageHash, "different bytes");
  assert.equal(poster.duplicateOf, original.id, "near-duplicate linked to the earlier work");
  assert.equal(rows.filter((r) => r.duplicateOf !== null).length, 1, "no false near-duplicates among stickers");
  assert.ok(stats.duplicates >= 1);
});

test("listing API lastmod skips unchanged products (no product page fetched)", async () => {
  // Forget the API pages' validators so they answer 200 and list every item again with its lastmod.
  await handle.db.update(crawlUrls).set({ etag: null, lastModified: null }).where(and(eq(crawlUrls.shopId, "openmoji-stickers"), eq(crawlUrls.kind, "listing")));
  const before = moji.requests.length;
  const stats = await crawlMoji();
  const paths = moji.requests.slice(before).map((r) => r.path);
  assert.equal(paths.filter((p) => p.startsWith("/emoji/")).length, 0, paths.join(" "));
  assert.equal(stats.skippedLastmod, 25);
  assert.equal(stats.inserted + stats.updated, 0);
});
