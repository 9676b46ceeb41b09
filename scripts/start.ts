// `npm start`: the embedded default end to end. Builds what is stale (WASM core, site), starts the
// bundled fixture shop on 127.0.0.1, runs the batch pipeline against it (crawl → describe →
// neighbours → export), stops the shop, then serves API + site from one Node process.
import { spawnSync } from "node:child_process";
import { runPipeline } from "../batch/pipeline.ts";
import { loadConfig } from "../common/config.ts";
import { createLogger } from "../common/log.ts";
import { serverOptionsFromConfig, startServer } from "../edge/adapter/node.ts";
import { startFixtureShop } from "../test/fixtures/shop/server.ts";

const config = loadConfig(process.env);
const log = createLogger({ service: "start" }, config.LOG_LEVEL);
const shopPort = Number(process.env.SHOP_PORT ?? 8790);

const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

// Stored URLs use the shop config's public origin, so any port works; a fixed one (SHOP_PORT) keeps logs stable.
const shop = await startFixtureShop({ host: "127.0.0.1", port: shopPort });
log.info("fixture shop started", { url: shop.url });
let summary;
try {
  summary = await runPipeline({
    config,
    shopUrl: shop.url,
    // The bundled shop is our own server on loopback: no politeness delay needed (logged by the crawler).
    delayMs: 0,
    revisitAfterHours: 0,
    progress: process.stderr.isTTY,
    log,
  });
} finally {
  await shop.close();
}
log.info("batch finished", {
  works: summary.activeArtworks,
  version: summary.version,
  published: summary.published,
  ms: Math.round(summary.ms),
  timingsMs: summary.timingsMs,
});

const server = await startServer(serverOptionsFromConfig(config));
console.log(`\nArt Snob is serving ${summary.activeArtworks} works at ${server.url}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
