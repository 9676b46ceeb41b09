// Politeness at the defaults, measured by the fixture shop itself (arrival times, in-flight
// concurrency, disallowed paths), plus Crawl-delay, robots.txt failure modes and its TTL, the
// adaptive delay, the request cap and the SSRF guard.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFixtureShop, type FixtureShop } from "../../test/fixtures/shop/server.ts";
import { openDatabase, type DbHandle } from "../../common/db/client.ts";
import { applyMigrations } from "../../common/db/migrate.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { createLogger } from "../../common/log.ts";
import { runCrawl, type CrawlOptions } from "./crawl.ts";
import { AutoThrottle, DEFAULT_DELAY_MS, FetchError, PoliteFetcher } from "./fetcher.ts";
import { createAddressGuard, isPrivateAddress } from "./ssrf.ts";
import { loadShopConfig, type ShopConfig } from "./shop-config.ts";
import { OPENCLIPART_SHOP_CONFIG } from "../shops/index.ts";

let dir: string;
let base: ShopConfig;
const log = createLogger({}, "error");
const handles: DbHandle[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "artsnob-polite-"));
  const full = await loadShopConfig(OPENCLIPART_SHOP_CONFIG);
  base = { ...full, sitemaps: [], useRobotsSitemaps: false, startUrls: ["/shop?page=1"], listingUrlPattern: "^/shop\\?page=1$", productUrlPattern: "^/(private/)?art/[a-z0-9-]+$" };
});
after(async () => {
  for (const h of handles) h.close();
  await rm(dir, { recursive: true, force: true });
});

async function freshCrawl(shopUrl: string, extra: Partial<CrawlOptions> = {}) {
  const sub = await mkdtemp(join(dir, "run-"));
  const handle = openDatabase(`file:${join(sub, "db.sqlite")}`);
  handles.push(handle);
  await applyMigrations(handle.db);
  return runCrawl({ db: handle.db, bucket: new LocalBucket(join(sub, "bucket")), shop: base, shopUrl, log, progress: false, ...extra });
}

const gaps = (shop: FixtureShop) => shop.requests.slice(1).map((r, i) => r.at - shop.requests[i]!.at);

test("defaults: one request at a time, ≥ 1 s apart, honest User-Agent, nothing disallowed", async () => {
  const shop = await startFixtureShop({ hardCases: true });
  try {
    // The real default delay (no flag): two products keep it to ~6 requests.
    await freshCrawl(shop.url, { maxProducts: 2 });
    assert.ok(shop.requests.length >= 5, `${shop.requests.length} requests`);
    assert.equal(shop.robotsViolations().length, 0);
    assert.equal(Math.max(...shop.requests.map((r) => r.concurrency)), 1);
    for (const g of gaps(shop)) assert.ok(g >= DEFAULT_DELAY_MS - 5, `gap ${g} ms`);
    for (const r of shop.requests) assert.match(r.userAgent, /^ArtSnobBot\/[\d.]+ \(\+https?:\/\/\S+\)$/);
  } finally {
    await shop.close();
  }
});

test("Crawl-delay from robots.txt is honoured even when the delay flag is 0", async () => {
  const shop = await startFixtureShop({ crawlDelay: 0.4 });
  try {
    await freshCrawl(shop.url, { delayMs: 0, maxProducts: 1 });
    assert.ok(shop.requests.length >= 4);
    for (const g of gaps(shop)) assert.ok(g >= 395, `gap ${g} ms`);
  } finally {
    await shop.close();
  }
});

test("robots.txt older than its TTL is fetched again; the request cap stops the run", async () => {
  const shop = await startFixtureShop({});
  try {
    const stats = await freshCrawl(shop.url, { delayMs: 0, robotsTtlMs: 1, maxRequests: 8 });
    assert.ok(shop.requests.filter((r) => r.path === "/robots.txt").length >= 2, "robots.txt re-fetched after the TTL");
    assert.ok(stats.requests <= 8, `${stats.requests} requests`);
    assert.equal(shop.requests.length, stats.requests);
  } finally {
    await shop.close();
  }
});

function tinyServer(robotsStatus: number): Promise<{ url: string; paths: string[]; server: Server }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? "");
    if (req.url === "/robots.txt") return void res.writeHead(robotsStatus, { "content-type": "text/plain" }).end("nope");
    res.writeHead(200, { "content-type": "text/html" }).end(`<html><body><a href="/art/x">x</a></body></html>`);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths, server })));
}

test("robots.txt 4xx allows all; 5xx and unreachable disallow all", async () => {
  const s404 = await tinyServer(404);
  const s503 = await tinyServer(503);
  try {
    await freshCrawl(s404.url, { delayMs: 0, backoffBaseMs: 10 });
    assert.ok(s404.paths.includes("/shop?page=1"), "4xx: crawled");
    await assert.rejects(freshCrawl(s503.url, { delayMs: 0, backoffBaseMs: 10 }), /could not be read/);
    assert.ok(s503.paths.every((p) => p === "/robots.txt"), "5xx: nothing but robots.txt requested");
    const port = (s503.server.address() as AddressInfo).port;
    s503.server.close();
    s503.server.closeAllConnections();
    await assert.rejects(freshCrawl(`http://127.0.0.1:${port}`, { delayMs: 0, backoffBaseMs: 10 }), /could not be read/);
  } finally {
    s404.server.close();
    s404.server.closeAllConnections();
  }
});

test("adaptive delay: slow answers and errors raise it, it decays to the minimum, never below", () => {
  const t = new AutoThrottle(100, 10_000);
  t.observe("h", 900, false);
  assert.equal(t.delay("h"), 500);
  t.observe("h", 10, false);
  assert.equal(t.delay("h"), 255);
  t.observe("h", 10, true);
  assert.equal(t.delay("h"), 510, "error doubles");
  for (let i = 0; i < 20; i++) t.observe("h", 5, false);
  assert.equal(t.delay("h"), 100, "never below the configured minimum");
  const off = new AutoThrottle(0, 10_000, false);
  off.observe("h", 900, true);
  assert.equal(off.delay("h"), 0);
});

test("SSRF: private, loopback and metadata addresses are refused unless configured as the shop", async () => {
  for (const ip of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1"]) assert.ok(isPrivateAddress(ip), ip);
  for (const ip of ["93.184.216.34", "2606:4700::1111", "8.8.8.8"]) assert.ok(!isPrivateAddress(ip), ip);
  const guard = createAddressGuard(["127.0.0.1:8790"], async (h) => (h === "cdn.shop.example" ? ["10.0.0.5"] : ["93.184.216.34"]));
  assert.equal(await guard("http://127.0.0.1:8790/art/1"), null, "the configured shop");
  assert.match((await guard("http://127.0.0.1:9999/"))!, /private/);
  assert.match((await guard("https://cdn.shop.example/i.png"))!, /10\.0\.0\.5/);
  assert.equal(await guard("https://public.example/"), null);
  // End to end: a host name that resolves to loopback (localhost) is refused before any request.
  const s = await tinyServer(404);
  try {
    const port = (s.server.address() as AddressInfo).port;
    const fetcher = new PoliteFetcher({ delayMs: 0, check: () => null, checkAddress: createAddressGuard([`127.0.0.1:${port}`]) });
    await assert.rejects(fetcher.get(`http://localhost:${port}/robots.txt`), (e: FetchError) => e.kind === "refused");
    assert.equal(s.paths.length, 0);
    assert.equal((await fetcher.get(`http://127.0.0.1:${port}/robots.txt`)).status, 404);
  } finally {
    s.server.close();
    s.server.closeAllConnections();
  }
});
