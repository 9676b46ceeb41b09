// A real batch export for deploy rehearsals and the workerd tests: the whole pipeline (crawl → embed →
// … → export) over the bundled fixture shop on 127.0.0.1, into a data dir (libsql file + LocalBucket).
// Calling it again on the same dir with a higher `maxProducts` crawls more works and publishes a new
// artifact version, as a nightly run would.
import { runPipeline, type PipelineSummary } from "../../batch/pipeline.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { loadConfig } from "../../common/config.ts";
import { createLogger } from "../../common/log.ts";
import { startFixtureShop } from "../../test/fixtures/shop/server.ts";

export interface FixtureExport {
  dataDir: string;
  dbPath: string;
  bucket: LocalBucket;
  summary: PipelineSummary;
}

export async function exportFixtureShop(dataDir: string, maxProducts: number): Promise<FixtureExport> {
  const shop = await startFixtureShop({ host: "127.0.0.1", port: 0 });
  try {
    const config = loadConfig({ ARTSNOB_DATA_DIR: dataDir });
    const summary = await runPipeline({ config, shopUrl: shop.url, delayMs: 0, maxProducts, progress: false, log: createLogger({ test: "fixture-export" }, "error") });
    return { dataDir, dbPath: `${dataDir}/artsnob.db`, bucket: new LocalBucket(`${dataDir}/bucket`), summary };
  } finally {
    await shop.close();
  }
}
