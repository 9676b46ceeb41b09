// End to end against the real fixture shop on 127.0.0.1: crawl → describe → neighbours → export,
// then reruns that must send only conditional requests and publish nothing new.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc } from "drizzle-orm";
import { startFixtureShop, type FixtureShop } from "../test/fixtures/shop/server.ts";
import { sizesFor } from "../test/fixtures/shop/pricing.ts";
import { categoryName } from "../test/fixtures/shop/catalog.ts";
import { openDatabase, type DbHandle } from "../common/db/client.ts";
import { artworks, crawlRuns } from "../common/db/schema.ts";
import { LocalBucket } from "../common/bucket/local.ts";
import { readArtifactSet, readPointer } from "../common/artifacts/read.ts";
import { orientationOf } from "../common/domain.ts";
import { createLogger } from "../common/log.ts";
import { loadConfig } from "../common/config.ts";
import { parseCli, runPipeline, type PipelineSummary } from "./cli.ts";
import { NO_NEIGHBOUR } from "./features/neighbours.ts";

let shop: FixtureShop;
let dir: string;
let handle: DbHandle;
let bucket: LocalBucket;
let first: PipelineSummary;
const log = createLogger({}, "error");
const run = (extra: Parameters<typeof runPipeline>[0] = {}) =>
  runPipeline({ config: loadConfig({ ARTSNOB_DATA_DIR: dir }), shopUrl: shop.url, delayMs: 0, log, progress: false, ...extra });

before(async () => {
  shop = await startFixtureShop({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), "artsnob-batch-"));
  first = await run();
  handle = openDatabase(`file:${join(dir, "artsnob.db")}`);
  bucket = new LocalBucket(join(dir, "bucket"));
});

after(async () => {
  handle?.close();
  await shop?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("the crawl imports every work with the shop's fields", async () => {
  const catalog = shop.catalog.products;
  assert.equal(first.crawl[0]!.inserted, catalog.length);
  assert.equal(first.activeArtworks, catalog.length);
  assert.equal(shop.robotsViolations().length, 0);
  assert.ok(shop.requests.every((r) => r.userAgent.startsWith("ArtSnobBot/") && r.userAgent.includes("+https://")));
  assert.ok(shop.requests.every((r) => r.concurrency === 1), "one request at a time");
  const rows = await handle.db.select().from(artworks).orderBy(asc(artworks.id));
  const byUrl = new Map(rows.map((r) => [r.canonicalUrl, r]));
  for (const p of catalog) {
    const w = p.work;
    const a = byUrl.get(`https://openclipart-prints.example/art/${w.id}`);
    assert.ok(a, `artwork ${w.id} imported`);
    assert.equal(a.title, w.title);
    assert.equal(a.artist, w.artist);
    assert.equal(a.description, w.description);
    assert.deepEqual(a.categories, w.categories.map(categoryName));
    assert.deepEqual(a.tags, [...new Set(w.tags.map((t) => t.toLowerCase()))].filter((t) => /[a-z0-9]/.test(t)));
    const expected = sizesFor(w.id, w.width, w.height);
    assert.deepEqual(a.sizes.map((s) => [s.key, s.priceCents, s.currency]), expected.map((s) => [s.key, s.priceCents, s.currency]));
    a.sizes.forEach((s, i) => assert.ok(Math.abs(s.widthCm! - expected[i]!.widthCm!) <= 0.5 && Math.abs(s.heightCm! - expected[i]!.heightCm!) <= 0.5, `${w.id} cm dims`));
    assert.equal(a.minPriceCents, Math.min(...expected.map((s) => s.priceCents!)));
    assert.deepEqual(a.warnings, [], `${w.id} warnings`);
    assert.equal(a.orientation, orientationOf(w.width, w.height));
    assert.deepEqual([a.imageWidth, a.imageHeight], [w.width, w.height]);
    const cheapest = expected.reduce((x, y) => (y.priceCents! < x.priceCents! ? y : x));
    assert.equal(a.affiliateUrl, `https://partner.example/p/${w.id}?size=${cheapest.key}&aff=artsnob`);
    assert.deepEqual(a.warnings, []);
    assert.match(a.imageHash!, /^[0-9a-f]{64}$/);
    assert.deepEqual(Object.keys(a.imageVariants).sort(), ["jpg100", "jpg1200", "jpg250", "jpg500", "original", "w100", "w1200", "w250", "w500"]);
  }
  // Variants exist and have the promised widths (spot check).
  const sharp = (await import("sharp")).default;
  const a = rows[0]!;
  for (const w of [100, 250, 500] as const) {
    const bytes = await bucket.get(a.imageVariants[`w${w}`]!);
    assert.ok(bytes, `w${w} stored`);
    assert.equal((await sharp(bytes).metadata()).width, Math.min(w, a.imageWidth!));
  }
  const [runRow] = await handle.db.select().from(crawlRuns).limit(1);
  assert.equal(runRow!.stats.inserted, catalog.length);
  assert.ok(runRow!.finishedAt);
});

test("the export is a valid artifact set: sha256 match, decodes, neighbours exclude self and duplicates", async () => {
  assert.equal(first.published, true);
  const pointer = await readPointer(bucket);
  assert.equal(pointer?.version, first.version);
  const set = await readArtifactSet(bucket, pointer!); // verifies every sha256 and header
  const all = await handle.db.select({ id: artworks.id, hash: artworks.imageHash, dup: artworks.duplicateOf }).from(artworks).orderBy(asc(artworks.id));
  // Duplicate listings are offers of their primary work, not rows of the set (common/db/browsable.ts).
  const rows = all.filter((r) => r.dup === null);
  assert.ok(rows.length < all.length, "the fixture shop has a duplicate listing");
  assert.deepEqual([...set.ids], rows.map((r) => r.id));
  assert.equal(set.k, 100);
  const hashOfRow = rows.map((r) => r.hash);
  for (let r = 0; r < set.ids.length; r++) {
    const nn = [...set.neighbours.subarray(r * 100, r * 100 + 100)];
    assert.ok(!nn.includes(r), "never its own neighbour");
    for (const j of nn) if (j !== NO_NEIGHBOUR) assert.notEqual(hashOfRow[j], hashOfRow[r], "exact duplicates excluded");
    const sc = [...set.neighbourScores.subarray(r * 100, r * 100 + 100)];
    for (let j = 1; j < 100; j++) assert.ok(sc[j - 1]! >= sc[j]!);
  }
  let norm = 0;
  for (let d = 0; d < set.manifest.dim; d++) norm += (set.vectors[d]! / set.vectorScale) ** 2;
  assert.ok(Math.abs(Math.sqrt(norm) - 1) < 0.05);
});

test("a rerun sends conditional requests, changes nothing and publishes nothing", async () => {
  const before = await handle.db.select().from(artworks).orderBy(asc(artworks.id));
  shop.requests.length = 0;
  const second = await run();
  const reqs = shop.requests.map((r) => `${r.path} ${r.status}`);
  assert.ok(reqs.includes("/sitemap.xml 304"), reqs.join(", "));
  assert.equal(shop.requests.filter((r) => r.path.startsWith("/art/") || r.path.startsWith("/images/")).length, 0, "no product fetched when the sitemap is unchanged");
  assert.equal(second.published, false);
  assert.equal(second.version, first.version);
  assert.equal(second.describe!.computed, 0);

  // Forcing a re-check of every product: each is a conditional GET answered 304.
  shop.requests.length = 0;
  const third = await run({ revisitAfterHours: 0 });
  const products = shop.requests.filter((r) => r.path.startsWith("/art/"));
  assert.equal(products.length, shop.catalog.products.length);
  assert.ok(products.every((r) => r.status === 304), "conditional GETs answered 304");
  assert.equal(third.crawl[0]!.inserted + third.crawl[0]!.updated, 0);
  assert.equal(third.version, first.version);
  assert.equal(third.published, false);
  const afterRows = await handle.db.select().from(artworks).orderBy(asc(artworks.id));
  assert.deepEqual(
    afterRows.map(({ lastSeen: _l, ...r }) => r),
    before.map(({ lastSeen: _l, ...r }) => r),
  );
});

test("CLI flags parse, and bad ones are refused clearly", () => {
  assert.deepEqual(parseCli(["--only", "describe", "--shop-url", "http://127.0.0.1:1234", "--delay-ms", "0", "--no-progress"]), { only: "embed", shopUrl: "http://127.0.0.1:1234", delayMs: 0, progress: false });
  assert.deepEqual(parseCli(["--from", "reduce", "--shard", "1/4", "--config", "x.yaml"]), { from: "reduce", shard: "1/4", pipeline: "x.yaml" });
  assert.throws(() => parseCli(["--only", "No Stage"]), /--only must be a stage name/);
  assert.throws(() => parseCli(["--shard", "5/4"]), /0 ≤ i < N/);
  assert.throws(() => parseCli(["--delay-ms=-5"]), /non-negative/);
  assert.throws(() => parseCli(["--bogus"]), /Unknown option/);
});

test("--shop FILE=URL gives each shop its own base URL; bad values are refused clearly", () => {
  assert.deepEqual(parseCli(["--shop", "a.json=http://127.0.0.1:1/?x=1", "--shop", "b.json", "--shop-url", "http://127.0.0.1:2"]), {
    shops: [{ file: "a.json", url: "http://127.0.0.1:1/?x=1" }, "b.json"],
    shopUrl: "http://127.0.0.1:2",
  });
  assert.throws(() => parseCli(["--shop", "=http://127.0.0.1:1"]), /--shop needs a config file/);
  assert.throws(() => parseCli(["--shop", "a.json="]), /absolute http\(s\) URL/);
  assert.throws(() => parseCli(["--shop", "a.json=127.0.0.1:1"]), /http\(s\) URL/);
  assert.throws(() => parseCli(["--shop", "a.json=ftp://x/"]), /http\(s\) URL/);
});
