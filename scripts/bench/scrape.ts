// Scrape benchmark: the larger tier (the ≈2.6k curated openclipart shop + the ≈2.4k-product OpenMoji
// shop) crawled from scratch on 127.0.0.1, with politeness delays set to ZERO (delayMs 0, adaptive
// delay off) — the defaults (1 s per host + AutoThrottle + Crawl-delay) would make this a 3-hour run.
// Builds the openclipart full tier first when it is missing (scripts/corpus/build.ts --tier full).
//   npm run bench:scrape [-- --small]     (--small: the 320-work sample + 200 emoji, a smoke run)
// The last stdout line is JSON: products, seconds, pages_per_s, robots_violations, max_concurrency,
// duplicates (works stored twice: must be 0), lost (catalogue products missing from the DB: must be 0).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFixtureShop, DEFAULT_CORPUS_DIR } from "../../test/fixtures/shop/server.ts";
import { startOpenmojiShop } from "../../test/fixtures/shop/openmoji/server.ts";
import { openDatabase } from "../../common/db/client.ts";
import { applyMigrations } from "../../common/db/migrate.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { createLogger } from "../../common/log.ts";
import { runCrawl, type CrawlStats } from "../../batch/crawl/crawl.ts";
import { loadShopConfig } from "../../batch/crawl/shop-config.ts";
import { OPENCLIPART_SHOP_CONFIG, OPENMOJI_SHOP_CONFIG } from "../../batch/shops/index.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FULL = join(ROOT, ".cache/corpus/full");
const small = process.argv.includes("--small");

if (!small && !existsSync(join(FULL, "works.json"))) {
  console.error("building the full openclipart tier (≈100 s) …");
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/corpus/build.ts"), "--tier", "full"], { stdio: ["ignore", "inherit", "inherit"], cwd: ROOT });
  if (r.status !== 0) throw new Error("corpus build failed");
}

const clip = await startFixtureShop({ corpusDir: small ? DEFAULT_CORPUS_DIR : FULL });
const moji = await startOpenmojiShop(small ? { limit: 200 } : {});
const dir = await mkdtemp(join(tmpdir(), "artsnob-bench-scrape-"));
const handle = openDatabase(`file:${join(dir, "db.sqlite")}`);
try {
  for (const p of ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"]) await handle.client.execute(p);
  await applyMigrations(handle.db);
  const bucket = new LocalBucket(join(dir, "bucket"));
  const log = createLogger({ bench: "scrape" }, "error");
  const progress = Boolean(process.stderr.isTTY);
  const t0 = Date.now();
  const stats: CrawlStats[] = [];
  for (const [file, url] of [[OPENCLIPART_SHOP_CONFIG, clip.url], [OPENMOJI_SHOP_CONFIG, moji.url]] as const) {
    const shop = await loadShopConfig(file);
    stats.push(await runCrawl({ db: handle.db, bucket, shop, shopUrl: url, delayMs: 0, adaptiveDelay: false, log, progress }));
  }
  const seconds = (Date.now() - t0) / 1000;
  const q = async (sql: string) => (await handle.client.execute(sql)).rows;
  const stored = new Set((await q("SELECT canonical_url FROM artworks WHERE status = 'active'")).map((r) => String(r.canonical_url)));
  const expected = [
    ...clip.catalog.products.map((p) => `https://openclipart-prints.example/art/${p.work.id}`),
    ...moji.stickers.map((s) => `https://openmoji-stickers.example/emoji/${s.slug}`),
  ];
  const lost = expected.filter((u) => !stored.has(u)).length;
  const duplicates = (await q("SELECT count(*) AS n FROM (SELECT 1 FROM artworks GROUP BY shop_id, canonical_url HAVING count(*) > 1)"))[0]!.n;
  const linked = (await q("SELECT count(*) AS n FROM artworks WHERE duplicate_of IS NOT NULL"))[0]!.n;
  const products = Number((await q("SELECT count(*) AS n FROM artworks"))[0]!.n);
  const all = [...clip.requests, ...moji.requests];
  const pages = stats.reduce((s, x) => s + x.sitemaps + x.listings + x.products, 0);
  const requests = stats.reduce((s, x) => s + x.requests, 0);
  const result = {
    tier: small ? "small" : "full",
    politeness: "delays set to zero for this benchmark (delayMs 0, adaptive delay off); one request at a time per host still holds",
    products,
    seconds: Math.round(seconds * 10) / 10,
    pages_per_s: Math.round((pages / seconds) * 10) / 10,
    requests_per_s: Math.round((requests / seconds) * 10) / 10,
    requests,
    robots_violations: clip.robotsViolations().length + moji.robotsViolations().length,
    max_concurrency: Math.max(...all.map((r) => r.concurrency)),
    duplicates: Number(duplicates),
    linked_duplicates: Number(linked),
    lost,
    image_errors: stats.reduce((s, x) => s + x.imageErrors, 0),
    failed: stats.reduce((s, x) => s + x.failed, 0),
    cpus: (await import("node:os")).cpus().length,
  };
  console.log(JSON.stringify(result));
} finally {
  handle.close();
  await clip.close();
  await moji.close();
  await rm(dir, { recursive: true, force: true });
}
