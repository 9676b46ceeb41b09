// End to end through all five parts: fixture shop → batch (crawl, describe, neighbours, export) →
// Node server (edge API + WASM core + Qwik SSR) → Debian Chromium driven by playwright-core.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { runPipeline } from "../../batch/pipeline.ts";
import { loadConfig } from "../../common/config.ts";
import { createLogger } from "../../common/log.ts";
import { startServer, type RunningServer } from "../../edge/adapter/node.ts";
import { startFixtureShop } from "../fixtures/shop/server.ts";
import { launchChromium } from "./browser.ts";

const dataDir = mkdtempSync(join(tmpdir(), "artsnob-e2e-"));
let server: RunningServer;
let browser: Browser;
let works = 0;

before(async () => {
  const shop = await startFixtureShop({ host: "127.0.0.1", port: 0 });
  try {
    const config = loadConfig({ ARTSNOB_DATA_DIR: dataDir });
    const summary = await runPipeline({ config, shopUrl: shop.url, delayMs: 0, progress: false, log: createLogger({ test: "e2e" }, "warn") });
    works = summary.activeArtworks;
  } finally {
    await shop.close();
  }
  server = await startServer({ port: 0, dataDir, logger: createLogger({ test: "e2e" }, "warn") });
  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test("the batch imported the whole sample corpus", () => {
  assert.ok(works >= 300, `expected ≥ 300 works, got ${works}`);
});

test("home → detail shows similar works and a buy link through /go", async () => {
  const page = await browser.newPage();
  try {
    await page.goto(server.url + "/");
    const cards = page.getByTestId("art-card");
    assert.ok((await cards.count()) >= 12, "home grid shows works from the feed");

    // A card is the link to the work's detail page.
    const firstCard = cards.first();
    const cardTitle = (await firstCard.innerText()).trim();
    await firstCard.click();
    await page.waitForURL(/\/art\/\d+/);

    const title = (await page.getByTestId("art-title").innerText()).trim();
    assert.ok(title.length > 0 && cardTitle.includes(title.slice(0, 10)), `detail title "${title}" matches card "${cardTitle}"`);

    const image = page.getByTestId("art-image");
    assert.equal(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), true, "image loaded from the bucket");

    const similar = page.getByTestId("similar-grid").getByTestId("art-card");
    assert.ok((await similar.count()) >= 4, "similar works are listed");

    const buy = page.getByTestId("buy-link");
    const href = await buy.getAttribute("href");
    assert.match(href ?? "", /^\/go\/\d+/);

    // The click-out answers 302 to the stored affiliate URL (not followed: no network but loopback).
    const res = await fetch(new URL(href!, server.url), { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.match(res.headers.get("location") ?? "", /^https:\/\/partner\.example\//);
  } finally {
    await page.close();
  }
});

test("search box finds works by title words", async () => {
  const page = await browser.newPage();
  try {
    await page.goto(server.url + "/");
    const search = page.getByTestId("search-input");
    await search.fill("cat");
    await search.press("Enter");
    await page.waitForURL(/\/search\?q=cat/);
    assert.ok((await page.getByTestId("art-card").count()) >= 1, "search returns results");
  } finally {
    await page.close();
  }
});
