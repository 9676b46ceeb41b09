// The storefront end to end: fixture shop → batch pipeline (one run for this file) → Node server
// (edge API + Qwik SSR built from site/) → Debian Chromium via playwright-core. Covers the paths
// issue 7 names and saves screenshots of the main pages at phone and desktop widths into
// test-results/site/. ARTSNOB_E2E_DATA_DIR=<dir> reuses an existing pipeline output (dev loops).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startServer, type RunningServer } from "../../edge/adapter/node.ts";
import { launchChromium } from "./browser.ts";

const repoDir = fileURLToPath(new URL("../..", import.meta.url));
const shotsDir = join(repoDir, "test-results", "site");
const reuseDir = process.env.ARTSNOB_E2E_DATA_DIR;
const dataDir = reuseDir ?? mkdtempSync(join(tmpdir(), "artsnob-site-e2e-"));
/** Affiliate URLs in the fixture corpus (unresolvable here: the browser's request to it is the proof). */
const PARTNER = /^https:\/\/partner\.example\//;

let server: RunningServer;
let browser: Browser;

async function buildSite(): Promise<void> {
  // The server serves site/dist and site/server/entry.fetch.js: build them from the current sources.
  const r = spawnSync("npm", ["run", "--silent", "build:site"], { cwd: repoDir, encoding: "utf8" });
  assert.equal(r.status, 0, `build:site failed:\n${r.stdout}\n${r.stderr}`);
}

async function runPipelineOnce(): Promise<void> {
  if (reuseDir) return;
  // Imported lazily so a reused data dir needs no batch code at all.
  const [{ runPipeline }, { loadConfig }, { createLogger }, { startFixtureShop }] = await Promise.all([
    import("../../batch/pipeline.ts"),
    import("../../common/config.ts"),
    import("../../common/log.ts"),
    import("../fixtures/shop/server.ts"),
  ]);
  const shop = await startFixtureShop({ host: "127.0.0.1", port: 0 });
  try {
    const config = loadConfig({ ARTSNOB_DATA_DIR: dataDir });
    await runPipeline({ config, shopUrl: shop.url, delayMs: 0, progress: false, log: createLogger({ test: "site-e2e" }, "warn") });
  } finally {
    await shop.close();
  }
}

before(async () => {
  mkdirSync(shotsDir, { recursive: true });
  await Promise.all([runPipelineOnce(), buildSite()]);
  server = await startServer({ port: 0, dataDir, options: { requestLog: false } } as Parameters<typeof startServer>[0]);
  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (!reuseDir) rmSync(dataDir, { recursive: true, force: true });
});

async function newContext(width = 1280, height = 900): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height }, baseURL: server.url });
}

async function shot(page: Page, name: string): Promise<void> {
  for (const [label, width, height] of [["phone", 390, 844], ["desktop", 1280, 900]] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(shotsDir, `${name}-${label}.png`), fullPage: false });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Submit a Qwik action form and wait until the page reflects it (works with or without JS). */
async function submitAndSettle(page: Page, click: () => Promise<void>): Promise<void> {
  await Promise.all([page.waitForLoadState("networkidle"), click()]);
  await page.waitForLoadState("networkidle");
}

test("browse → detail → the buy link goes through /go to the work's affiliate URL", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  try {
    await page.goto("/");
    const card = page.getByTestId("feed-grid").getByTestId("art-card").first();
    const id = await card.getAttribute("data-art-id");
    await shot(page, "home");
    await card.click();
    await page.waitForURL(new RegExp(`/art/${id}$`));
    await page.getByTestId("art-image").evaluate((img: HTMLImageElement) => img.decode());
    await shot(page, "detail");
    const buy = page.getByTestId("buy-link");
    assert.match((await buy.getAttribute("href")) ?? "", new RegExp(`^/go/${id}(\\?|$)`));
    // /go answers 302 to the stored affiliate URL and the browser follows it (the partner host does
    // not resolve offline; the request itself is the proof).
    const [response, partner] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/go/${id}`),
      page.waitForRequest(PARTNER),
      buy.click(),
    ]);
    assert.equal(response.status(), 302);
    assert.equal(response.headers().location, partner.url());
  } finally {
    await ctx.close();
  }
});

test("search with a filter keeps it in the URL and every result matches", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  try {
    await page.goto("/");
    await page.getByTestId("search-input").fill("a");
    await page.getByTestId("search-input").press("Enter");
    await page.waitForURL(/\/search\?q=a/);
    const before = Number((await page.getByTestId("search-total").innerText()).match(/\d+/)?.[0]);
    await page.getByTestId("search-filters").locator("summary").click();
    await page.getByTestId("filter-orientation").selectOption("landscape");
    await page.getByTestId("filter-apply").click();
    await page.waitForURL(/orientation=landscape/);
    const after = Number((await page.getByTestId("search-total").innerText()).match(/\d+/)?.[0]);
    assert.ok(after > 0 && after < before, `the filter narrows ${before} results to ${after}`);
    const shapes = await page.getByTestId("search-results").getByTestId("art-card").evaluateAll((els) => els.map((e) => e.getAttribute("data-orientation")));
    assert.ok(shapes.length > 0 && shapes.every((s) => s === "landscape"), `only landscape works: ${shapes.join(",")}`);
    assert.equal(await page.getByTestId("filter-orientation").inputValue(), "landscape", "the form shows the active filter");
    await shot(page, "search");
  } finally {
    await ctx.close();
  }
});

test("taste finder: liking clusters changes the home feed into a personal one", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  try {
    await page.goto("/");
    const feedIds = () => page.getByTestId("feed-grid").getByTestId("art-card").evaluateAll((els) => els.slice(0, 12).map((e) => e.getAttribute("data-art-id")));
    const cold = await feedIds();
    assert.notEqual(await page.locator("#feed-heading").innerText(), "Picked for you", "a new visitor gets no personal feed");

    await page.goto("/taste");
    await shot(page, "taste");
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const step = page.getByTestId("taste-step");
      const cluster = (await step.getAttribute("data-cluster-id"))!;
      assert.ok(!seen.has(cluster), "each step shows a cluster not seen before");
      seen.add(cluster);
      const progress = Number(await page.getByTestId("taste-progress").getAttribute("value"));
      await submitAndSettle(page, () => page.getByTestId("taste-like").click());
      await page.waitForFunction((p) => Number(document.querySelector('[data-testid="taste-progress"]')?.getAttribute("value")) > p, progress);
    }
    await page.goto("/");
    assert.equal(await page.locator("#feed-heading").innerText(), "Picked for you");
    const warm = await feedIds();
    assert.notDeepEqual(warm, cold, "the feed changed after the likes");
    assert.ok((await page.getByTestId("card-reason").count()) > 0, "personal items say why they are there");
  } finally {
    await ctx.close();
  }
});

test("walls: add two works, drag one, share, open the link in a second browser context", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  try {
    await page.goto("/");
    const ids = await page.getByTestId("feed-grid").getByTestId("art-card").evaluateAll((els) => els.map((e) => e.getAttribute("data-art-id")!));
    let added = 0;
    for (const id of ids) {
      await page.goto(`/art/${id}`);
      if ((await page.getByTestId("size-row").count()) === 0) continue; // no size: can't hang it
      await submitAndSettle(page, () => page.getByTestId("add-to-wall").click());
      await page.waitForURL(/\/walls\/[A-Za-z0-9_-]+$/);
      if (++added === 2) break;
    }
    assert.equal(added, 2);
    const items = page.getByTestId("wall-item");
    assert.equal(await items.count(), 2);
    assert.match(await page.getByTestId("wall-total").innerText(), /\d/);

    const item = items.nth(1);
    const x0 = Number(await item.getAttribute("data-x"));
    const box = (await item.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 30, { steps: 8 });
    await page.mouse.up();
    await page.getByText("Position saved.").waitFor();
    await page.reload();
    const x1 = Number(await page.getByTestId("wall-item").nth(1).getAttribute("data-x"));
    assert.ok(x1 > x0 + 10, `the dragged position was saved (x ${x0} → ${x1} cm)`);
    await shot(page, "wall");

    await submitAndSettle(page, () => page.getByTestId("share-create").click());
    const href = (await page.getByTestId("share-link").getAttribute("href"))!;
    assert.match(href, /^\/shared\/[A-Za-z0-9_-]+$/);

    const other = await newContext(390, 844);
    try {
      const p2 = await other.newPage();
      await p2.goto(href);
      assert.equal(await p2.getByTestId("wall-item").count(), 2, "the shared wall shows both works");
      assert.equal(await p2.getByTestId("share-create").count(), 0, "read-only: no editing controls");
      assert.equal(await p2.locator('meta[property="og:image"]').count(), 1, "Open Graph image for the shared wall");
      await p2.screenshot({ path: join(shotsDir, "shared-wall-phone.png") });
    } finally {
      await other.close();
    }
  } finally {
    await ctx.close();
  }
});

test("sign up merges the anonymous likes into the account", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  try {
    await page.goto("/");
    const id = (await page.getByTestId("feed-grid").getByTestId("art-card").nth(3).getAttribute("data-art-id"))!;
    await page.goto(`/art/${id}`);
    await submitAndSettle(page, () => page.getByTestId("like-button").click());
    await page.getByTestId("vote-status").waitFor();

    await page.goto("/account");
    await shot(page, "account");
    await page.getByTestId("sign-up-email").fill(`e2e-${Date.now()}@example.com`);
    await page.getByTestId("sign-up-password").fill("correct horse battery");
    await submitAndSettle(page, () => page.getByTestId("sign-up-submit").click());
    await page.getByTestId("account-email").waitFor();
    assert.match(await page.getByTestId("account-likes").innerText(), /^1 like/);

    await page.goto("/favourites");
    const favs = await page.getByTestId("favourites-grid").getByTestId("art-card").evaluateAll((els) => els.map((e) => e.getAttribute("data-art-id")));
    assert.deepEqual(favs, [id]);

    await page.goto("/history");
    assert.ok((await page.getByTestId("history-item").count()) >= 1);
    await shot(page, "history");
  } finally {
    await ctx.close();
  }
});

test("keyboard only: from the home page to a buy button", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  try {
    await page.goto("/");
    const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.tagName);
    let steps = 0;
    while ((await focused()) !== "art-card") {
      await page.keyboard.press("Tab");
      assert.ok(++steps < 60, "an artwork is reachable with Tab");
    }
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/art\/\d+$/);
    steps = 0;
    while ((await focused()) !== "buy-link") {
      await page.keyboard.press("Tab");
      assert.ok(++steps < 60, "the buy button is reachable with Tab");
    }
    // The focused element shows a visible focus ring.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, "none");
    await Promise.all([page.waitForRequest(PARTNER), page.keyboard.press("Enter")]);
  } finally {
    await ctx.close();
  }
});

test("map, journal, 404 and sitemap render", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  try {
    await page.goto("/map");
    assert.ok((await page.getByTestId("map-point").count()) >= 100, "the map shows the collection");
    await shot(page, "map");
    // Points may overlap on a dense map, so open one the way a keyboard user would.
    await page.getByTestId("map-point").first().focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/art\/\d+$/);

    await page.goto("/blog");
    await page.getByTestId("post-list").locator("a").first().click();
    await page.getByTestId("editorial").waitFor();

    const res = await page.goto("/no/such/page");
    assert.equal(res?.status(), 404);
    await page.getByTestId("not-found").waitFor();
    await shot(page, "not-found");

    const sitemap = await (await fetch(new URL("/sitemap.xml", server.url))).text();
    assert.ok((sitemap.match(/<loc>[^<]*\/art\/\d+<\/loc>/g) ?? []).length >= 300, "every work is in the sitemap");
  } finally {
    await ctx.close();
  }
});
