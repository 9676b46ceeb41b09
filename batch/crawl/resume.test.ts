// Kill the crawler (SIGKILL, mid-run, as a separate process) and run it again: the second run
// finishes from the frontier in the DB with no artwork lost and none duplicated.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { startFixtureShop } from "../../test/fixtures/shop/server.ts";
import { openDatabase } from "../../common/db/client.ts";
import { artworks } from "../../common/db/schema.ts";
import { loadConfig } from "../../common/config.ts";
import { createLogger } from "../../common/log.ts";
import { loadShopConfig } from "./shop-config.ts";
import { DEFAULT_SHOP_CONFIG, runPipeline } from "../pipeline.ts";

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));

test("a crawl killed with SIGKILL resumes without losing or duplicating works", async () => {
  const shop = await startFixtureShop({ port: 0 });
  const dir = await mkdtemp(join(tmpdir(), "artsnob-resume-"));
  try {
    // Two listing pages (48 products) keep the test short.
    const slice = { ...(await loadShopConfig(DEFAULT_SHOP_CONFIG)), sitemaps: [], useRobotsSitemaps: false, startUrls: ["/shop?page=1"], listingUrlPattern: "^/shop\\?page=[12]$" };
    const configFile = join(dir, "shop.json");
    await writeFile(configFile, JSON.stringify(slice));
    const env = { ...process.env, ARTSNOB_DATA_DIR: dir, LOG_LEVEL: "error" as const };
    const child = spawn(process.execPath, ["--import", "tsx", CLI, "--only", "crawl", "--shop", configFile, "--shop-url", shop.url, "--delay-ms", "0", "--no-progress"], { env, stdio: "ignore" });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // Kill it once it is well into the product pages.
    const deadline = Date.now() + 60_000;
    while (shop.requests.filter((r) => r.path.startsWith("/images/")).length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await exited;
    const handle = openDatabase(`file:${join(dir, "artsnob.db")}`);
    try {
      const count = async () => Number((await handle.db.select({ n: sql<number>`count(*)` }).from(artworks))[0]!.n);
      const partial = await count();
      assert.ok(partial > 0 && partial < 48, `killed mid-crawl (${partial} works stored)`);
      const summary = await runPipeline({ only: "crawl", shops: [configFile], config: loadConfig(env), shopUrl: shop.url, delayMs: 0, progress: false, log: createLogger({}, "error") });
      assert.equal(await count(), 48);
      assert.equal(summary.crawl[0]!.inserted, 48 - partial);
      const dupes = await handle.client.execute("SELECT canonical_url FROM artworks GROUP BY canonical_url HAVING count(*) > 1");
      assert.equal(dupes.rows.length, 0);
      const left = await handle.client.execute("SELECT count(*) AS n FROM crawl_urls WHERE state = 'queued'");
      assert.equal(Number(left.rows[0]!.n), 0);
    } finally {
      handle.close();
    }
  } finally {
    await shop.close();
    await rm(dir, { recursive: true, force: true });
  }
});
