// The batch pipeline: crawl → describe → neighbours → export. Each stage is its own module with
// its own entry point; they hand over through the DB and the bucket only. One pipeline_runs row
// per stage execution.
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { loadConfig, type AppConfig } from "../common/config.ts";
import { openDatabase, type Db } from "../common/db/client.ts";
import { applyMigrations, ensureFileDir } from "../common/db/migrate.ts";
import { artworks, pipelineRuns } from "../common/db/schema.ts";
import { openBucket } from "../common/bucket/open.ts";
import type { Bucket } from "../common/bucket/types.ts";
import { createLogger, type Logger } from "../common/log.ts";
import { runCrawl, type CrawlStats } from "./crawl/crawl.ts";
import { loadShopConfig, type ShopConfig } from "./crawl/shop-config.ts";
import { runDescribe, type DescribeStats } from "./features/describe.ts";
import { DESCRIPTOR_DIM, DESCRIPTOR_ID } from "./features/descriptor.ts";
import { NEIGHBOURS_K, runNeighbours, type NeighboursStats } from "./features/neighbours.ts";
import { loadFeatureMatrix } from "./features/store.ts";
import { currentPointer, runExport, type ExportResult } from "./export/export.ts";

export const STAGES = ["crawl", "describe", "neighbours", "export"] as const;
export type Stage = (typeof STAGES)[number];
export const DEFAULT_SHOP_CONFIG = fileURLToPath(new URL("./shops/openclipart-prints.json", import.meta.url));

export interface PipelineOptions {
  /** Run just this stage. */
  only?: Stage;
  /** Start at this stage and run the ones after it. */
  from?: Stage;
  /** Shop config file(s) or parsed configs; default batch/shops/openclipart-prints.json. */
  shops?: Array<string | ShopConfig>;
  /** Base URL override for the shop (e.g. the fixture shop on http://127.0.0.1:PORT). */
  shopUrl?: string;
  /** Politeness delay between requests to one host (default 1000 ms; lower is logged). */
  delayMs?: number;
  /** Crawl at most this many product pages per shop in this run (the rest stays queued). */
  maxProducts?: number;
  /** Re-check known products after this many hours (0: conditional GET for every product). */
  revisitAfterHours?: number;
  /** Neighbours per work (default 20). */
  k?: number;
  /** Artifact versions kept in the bucket (default 3). */
  keepVersions?: number;
  /** Environment-derived settings (DATABASE_URL, BUCKET…); default loadConfig(process.env). */
  config?: AppConfig;
  /** Use these instead of opening from config (tests, scripts/start.ts). */
  db?: Db;
  bucket?: Bucket;
  log?: Logger;
  /** Progress bars on stderr (default: when stderr is a TTY). */
  progress?: boolean;
}

export interface PipelineSummary {
  stages: Stage[];
  crawl: CrawlStats[];
  describe: DescribeStats | null;
  neighbours: NeighboursStats | null;
  export: ExportResult | null;
  /** Published artifact version after the run (the existing one if nothing changed). */
  version: string | null;
  /** True when this run flipped the CURRENT pointer. */
  published: boolean;
  activeArtworks: number;
  timingsMs: Partial<Record<Stage, number>>;
  ms: number;
}

export function stagesToRun(opts: Pick<PipelineOptions, "only" | "from">): Stage[] {
  if (opts.only && opts.from) throw new Error("use either --only or --from, not both");
  for (const s of [opts.only, opts.from]) if (s && !STAGES.includes(s)) throw new Error(`unknown stage "${s}" (stages: ${STAGES.join(", ")})`);
  if (opts.only) return [opts.only];
  return STAGES.slice(opts.from ? STAGES.indexOf(opts.from) : 0);
}

export async function runPipeline(opts: PipelineOptions = {}): Promise<PipelineSummary> {
  const t0 = Date.now();
  const stages = stagesToRun(opts);
  const config = opts.config ?? loadConfig(process.env);
  const log = opts.log ?? createLogger({ component: "batch" }, config.LOG_LEVEL);
  let handle: ReturnType<typeof openDatabase> | null = null;
  let db = opts.db;
  if (!db) {
    ensureFileDir(config.databaseUrl);
    handle = openDatabase(config.databaseUrl, config.DATABASE_AUTH_TOKEN);
    db = handle.db;
  }
  const summary: PipelineSummary = { stages, crawl: [], describe: null, neighbours: null, export: null, version: null, published: false, activeArtworks: 0, timingsMs: {}, ms: 0 };
  try {
    await applyMigrations(db);
    await tuneSqlite(db, log);
    const bucket = opts.bucket ?? (openBucket(config));
    const k = opts.k ?? NEIGHBOURS_K;
    const stageRun = async <T>(stage: Stage, fn: () => Promise<T>, statsOf: (r: T) => Record<string, unknown>, inputHash: string | null = null): Promise<T> => {
      const s0 = Date.now();
      const [row] = await db!.insert(pipelineRuns).values({ stage, status: "running", inputHash }).returning({ id: pipelineRuns.id });
      try {
        const r = await fn();
        await db!.update(pipelineRuns).set({ status: "done", finishedAt: new Date().toISOString(), stats: statsOf(r) }).where(eq(pipelineRuns.id, row!.id));
        return r;
      } catch (e) {
        await db!.update(pipelineRuns).set({ status: "failed", finishedAt: new Date().toISOString(), stats: { error: (e as Error).message } }).where(eq(pipelineRuns.id, row!.id));
        throw e;
      } finally {
        summary.timingsMs[stage] = Date.now() - s0;
      }
    };
    for (const stage of stages) {
      if (stage === "crawl") {
        const shops = opts.shops ?? [DEFAULT_SHOP_CONFIG];
        summary.crawl = await stageRun(
          "crawl",
          async () => {
            const out: CrawlStats[] = [];
            for (const s of shops) {
              const shop = typeof s === "string" ? await loadShopConfig(s) : s;
              out.push(await runCrawl({ db: db!, bucket, shop, log, ...pick(opts, ["shopUrl", "delayMs", "maxProducts", "revisitAfterHours", "progress"]) }));
            }
            return out;
          },
          (r) => ({ shops: r.length, ...r[0] }),
        );
      } else if (stage === "describe") {
        summary.describe = await stageRun("describe", () => runDescribe({ db: db!, bucket, log, ...pick(opts, ["progress"]) }), (r) => ({ ...r }));
      } else {
        // neighbours and export share the matrix; loading it once keeps the second run fast.
        const matrix = await loadFeatureMatrix(db, bucket, DESCRIPTOR_ID, DESCRIPTOR_DIM);
        if (stage === "neighbours") summary.neighbours = await stageRun("neighbours", () => runNeighbours({ db: db!, bucket, k, log, matrix }), (r) => ({ ...r }), matrix.inputHash);
        else summary.export = await stageRun("export", () => runExport({ db: db!, bucket, k, log, matrix, ...(opts.keepVersions ? { keep: opts.keepVersions } : {}) }), (r) => ({ ...r }), matrix.inputHash);
      }
    }
    if (summary.export) {
      summary.version = summary.export.version;
      summary.published = summary.export.published;
    } else {
      summary.version = (await currentPointer(bucket))?.version ?? null;
    }
    const [count] = await db.select({ n: sql<number>`count(*)` }).from(artworks).where(eq(artworks.status, "active"));
    summary.activeArtworks = Number(count?.n ?? 0);
    summary.ms = Date.now() - t0;
    log.info("pipeline finished", { stages, version: summary.version, published: summary.published, activeArtworks: summary.activeArtworks, timingsMs: summary.timingsMs, ms: summary.ms });
    return summary;
  } finally {
    handle?.close();
  }
}

/**
 * WAL lets the edge keep reading while the batch writes, and synchronous=NORMAL makes the many
 * small crawl writes ~8× cheaper (still durable at checkpoints). Remote libsql refuses: ignored.
 */
async function tuneSqlite(db: Db, log: Logger): Promise<void> {
  for (const pragma of ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000"]) {
    try {
      await db.run(sql.raw(pragma));
    } catch (e) {
      log.debug("pragma not applied", { pragma, error: (e as Error).message });
    }
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (o[key] !== undefined) out[key] = o[key];
  return out;
}
