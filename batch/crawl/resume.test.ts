// Kill the crawler (SIGKILL, a separate process) at several points of one crawl, run it again each
// time, and compare the final DB with a clean crawl: no artwork lost, none duplicated, same data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFixtureShop, type FixtureShop } from "../../test/fixtures/shop/server.ts";
import { openDatabase } from "../../common/db/client.ts";
import { loadShopConfig } from "./shop-config.ts";
import { OPENCLIPART_SHOP_CONFIG } from "../shops/index.ts";
import { main as runFromArgs } from "./run.ts";

const RUN = fileURLToPath(new URL("./run.ts", import.meta.url));

function crawlProcess(shop: FixtureShop, dir: string, configFile: string, killAfterImages?: number): Promise<"killed" | "done"> {
  const child = spawn(process.execPath, ["--import", "tsx", RUN, "--db", join(dir, "db.sqlite"), "--bucket", join(dir, "bucket"), "--shop", `${configFile}=${shop.url}`, "--delay-ms", "0", "--no-progress"], {
    env: { ...process.env, LOG_LEVEL: "error" },
    stdio: "ignore",
  });
  return new Promise((resolve, reject) => {
    const startImages = shop.requests.filter((r) => r.path.startsWith("/images/")).length;
    let timer: NodeJS.Timeout | undefined;
    if (killAfterImages !== undefined) {
      timer = setInterval(() => {
        if (shop.requests.filter((r) => r.path.startsWith("/images/")).length - startImages >= killAfterImages) {
          clearInterval(timer);
          child.kill("SIGKILL");
        }
      }, 5);
    }
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearInterval(timer);
      if (signal === "SIGKILL") resolve("killed");
      else if (code === 0) resolve("done");
      else reject(new Error(`crawler exited with ${code}`));
    });
  });
}

async function snapshot(dir: string) {
  const h = openDatabase(`file:${join(dir, "db.sqlite")}`);
  try {
    const rows = await h.client.execute(
      "SELECT a.canonical_url, a.title, a.artist, a.sizes, a.image_hash, a.phash, a.image_variants, a.status, a.warnings, d.canonical_url AS dup FROM artworks a LEFT JOIN artworks d ON d.id = a.duplicate_of ORDER BY a.canonical_url",
    );
    const queued = await h.client.execute("SELECT count(*) AS n FROM crawl_urls WHERE state = 'queued'");
    const dupes = await h.client.execute("SELECT canonical_url FROM artworks GROUP BY shop_id, canonical_url HAVING count(*) > 1");
    return { rows: rows.rows.map((r) => JSON.stringify(r)), queued: Number(queued.rows[0]!.n), duplicated: dupes.rows.length };
  } finally {
    h.close();
  }
}

test("a crawl SIGKILLed at several points resumes to the same DB as a clean crawl", async () => {
  const shop = await startFixtureShop({ port: 0 });
  const root = await mkdtemp(join(tmpdir(), "artsnob-resume-"));
  try {
    // One listing page (24 products) keeps the test short.
    const slice = { ...(await loadShopConfig(OPENCLIPART_SHOP_CONFIG)), sitemaps: [], useRobotsSitemaps: false, startUrls: ["/shop?page=1"], listingUrlPattern: "^/shop\\?page=1$" };
    const configFile = join(root, "shop.json");
    await writeFile(configFile, JSON.stringify(slice));
    const clean = join(root, "clean");
    const killed = join(root, "killed");
    const inProcess = (d: string) => runFromArgs(["--db", join(d, "db.sqlite"), "--bucket", join(d, "bucket"), "--shop", `${configFile}=${shop.url}`, "--delay-ms", "0", "--no-progress"]);
    await inProcess(clean);
    // Kill points: at the first image, a few products in, past the middle; each run resumes the frontier.
    for (const after of [1, 5, 9]) assert.equal(await crawlProcess(shop, killed, configFile, after), "killed", `killed after ${after} images`);
    const partial = await snapshot(killed);
    assert.ok(partial.rows.length > 0 && partial.rows.length < 24, `killed mid-crawl (${partial.rows.length} works stored)`);
    await inProcess(killed);
    const a = await snapshot(clean);
    const b = await snapshot(killed);
    assert.equal(a.rows.length, 24);
    assert.equal(b.duplicated, 0);
    assert.equal(b.queued, 0);
    assert.deepEqual(b.rows, a.rows, "same works, fields, images and duplicate links as the clean crawl");
  } finally {
    await shop.close();
    await rm(root, { recursive: true, force: true });
  }
});
