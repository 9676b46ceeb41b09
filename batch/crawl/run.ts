// Crawl-only runner for one or more shops, independent of the rest of the pipeline (used by the
// SIGKILL resume test and the scrape benchmark; `npm run batch -- --only crawl` is the operator's way).
//   tsx batch/crawl/run.ts --db FILE --bucket DIR --shop CONFIG=URL [--shop CONFIG=URL] [--delay-ms N] [--no-adaptive]
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../../common/db/client.ts";
import { applyMigrations } from "../../common/db/migrate.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { createLogger, type LogLevel } from "../../common/log.ts";
import { runCrawl, type CrawlStats } from "./crawl.ts";
import { loadShopConfig } from "./shop-config.ts";

export async function main(argv: string[]): Promise<CrawlStats[]> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: "string" },
      bucket: { type: "string" },
      shop: { type: "string", multiple: true },
      "delay-ms": { type: "string" },
      "no-adaptive": { type: "boolean" },
      "no-progress": { type: "boolean" },
    },
  });
  if (!values.db || !values.bucket || !values.shop?.length) throw new Error("usage: run.ts --db FILE --bucket DIR --shop CONFIG=URL [--delay-ms N] [--no-adaptive]");
  mkdirSync(dirname(values.db), { recursive: true });
  const handle = openDatabase(`file:${values.db}`);
  await handle.client.execute("PRAGMA journal_mode=WAL");
  await handle.client.execute("PRAGMA synchronous=NORMAL"); // WAL + NORMAL: durable at checkpoints, far fewer fsyncs
  await applyMigrations(handle.db);
  const bucket = new LocalBucket(values.bucket);
  const log = createLogger({}, (process.env.LOG_LEVEL as LogLevel | undefined) ?? "warn");
  const delay = values["delay-ms"] !== undefined ? Number(values["delay-ms"]) : undefined;
  if (delay !== undefined && !(delay >= 0)) throw new Error(`--delay-ms must be a number ≥ 0`);
  const out: CrawlStats[] = [];
  try {
    for (const spec of values.shop) {
      const [file, url] = spec.split("=");
      const shop = await loadShopConfig(file!);
      out.push(await runCrawl({ db: handle.db, bucket, shop, ...(url ? { shopUrl: url } : {}), ...(delay !== undefined ? { delayMs: delay } : {}), ...(values["no-adaptive"] ? { adaptiveDelay: false } : {}), log, progress: !values["no-progress"] && Boolean(process.stderr.isTTY) }));
    }
  } finally {
    handle.close();
  }
  return out;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (stats) => console.log(JSON.stringify(stats)),
    (e: Error) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
