// The batch pipeline: runs the DAG from batch/pipeline.yaml (crawl → embed (sharded) →
// embed-merge → neighbours, reduce, tags → clusters, random → export by default). Stages hand
// over through the DB and the bucket only; each has its own entry point. One pipeline_runs row per
// stage execution (with its shard), structured logs, progress bars on a TTY.
import { and, eq, isNull, sql } from "drizzle-orm";
import { loadConfig, type AppConfig } from "../common/config.ts";
import { openDatabase, type Db } from "../common/db/client.ts";
import { applyMigrations, ensureFileDir } from "../common/db/migrate.ts";
import { artworks, pipelineRuns } from "../common/db/schema.ts";
import { openBucket } from "../common/bucket/open.ts";
import type { Bucket } from "../common/bucket/types.ts";
import { createLogger, type Logger } from "../common/log.ts";
import type { CrawlStats } from "./crawl/crawl.ts";
import type { ShopConfig } from "./crawl/shop-config.ts";
import type { ShopTarget } from "./shop-spec.ts";
import { loadPipelineConfig, parseShard, selectStages, type PipelineConfig, type Shard } from "./pipeline-config.ts";
import { resolveEmbedder } from "./pipeline-embedder.ts";
import { DEFAULT_SHOP_CONFIG, STAGE_MODULES } from "./pipeline-registry.ts";
import type { StageContext, StageResult } from "./pipeline-stage.ts";
import type { ImageEmbedder } from "./features/embedder.ts";
import type { EmbedStats } from "./features/describe.ts";
import { currentPointer, type ExportResult } from "./export/export.ts";
import { progressEnabledByDefault } from "./progress.ts";

export { DEFAULT_SHOP_CONFIG };
/** Stage names of the default pipeline.yaml (the CLI validates against the loaded config). */
export const STAGES = ["crawl", "embed", "embed-merge", "neighbours", "reduce", "tags", "clusters", "random", "export"] as const;
export type Stage = string;

export interface PipelineOptions {
  /** Run just this stage. */
  only?: Stage;
  /** Start at this stage and run every stage downstream of it. */
  from?: Stage;
  /** "i/N": run per-item stages on shard i of N (default from CLOUD_RUN_TASK_INDEX/COUNT). */
  shard?: string | Shard;
  /** pipeline.yaml path or a parsed config (default batch/pipeline.yaml). */
  pipeline?: string | PipelineConfig;
  /** Shop config file(s) or parsed configs; default batch/shops/openclipart-prints.json. */
  shops?: Array<string | ShopConfig | ShopTarget>;
  /** Base URL override for the shop (e.g. the fixture shop on http://127.0.0.1:PORT). */
  shopUrl?: string;
  /** Politeness delay between requests to one host (default 1000 ms; lower is logged). */
  delayMs?: number;
  /** Crawl at most this many product pages per shop in this run (the rest stays queued). */
  maxProducts?: number;
  /** Re-check known products after this many hours (0: conditional GET for every product). */
  revisitAfterHours?: number;
  /** Overrides neighbours.params.k. */
  k?: number;
  /** Overrides export.params.keep. */
  keepVersions?: number;
  /** Environment-derived settings (DATABASE_URL, BUCKET…); default loadConfig(process.env). */
  config?: AppConfig;
  env?: Record<string, string | undefined>;
  /** Use these instead of opening from config (tests, scripts/start.ts). */
  db?: Db;
  bucket?: Bucket;
  /** Use this embedder instead of the configured one (tests). */
  embedder?: ImageEmbedder;
  log?: Logger;
  /** Progress bars on stderr (default: when stderr is a TTY). */
  progress?: boolean;
}

export interface StageReport extends StageResult {
  stage: string;
  module: string;
  ms: number;
}

export interface PipelineSummary {
  stages: string[];
  shard: string;
  reports: StageReport[];
  crawl: CrawlStats[];
  embed: EmbedStats | null;
  /** Same as `embed` (the skeleton called the stage describe). */
  describe: EmbedStats | null;
  export: ExportResult | null;
  /** Published artifact version after the run (the existing one if nothing changed). */
  version: string | null;
  /** True when this run flipped the CURRENT pointer. */
  published: boolean;
  activeArtworks: number;
  timingsMs: Record<string, number>;
  ms: number;
}

export async function runPipeline(opts: PipelineOptions = {}): Promise<PipelineSummary> {
  const t0 = Date.now();
  const env = opts.env ?? process.env;
  const pipeline = typeof opts.pipeline === "object" ? opts.pipeline : await loadPipelineConfig(opts.pipeline);
  const shard = typeof opts.shard === "object" ? opts.shard : parseShard(opts.shard, env);
  const selected = selectStages(pipeline, opts);
  for (const s of selected) if (!STAGE_MODULES[pipeline.stages[s]!.module]) throw new Error(`stage "${s}": unknown module "${pipeline.stages[s]!.module}" (modules: ${Object.keys(STAGE_MODULES).join(", ")})`);
  // Sharded runs do the per-item work only; the merge and later stages run once, after all shards
  // (unless asked for by --only).
  const stages = shard.count > 1 && !opts.only ? selected.filter((s) => pipeline.stages[s]!.sharded) : selected;
  const params = Object.fromEntries(
    stages.map((s) => {
      const sc = pipeline.stages[s]!;
      const raw = { ...sc.params, ...(sc.module === "neighbours" && opts.k ? { k: opts.k } : {}), ...(sc.module === "export" && opts.keepVersions ? { keep: opts.keepVersions } : {}) };
      const parsed = STAGE_MODULES[sc.module]!.params.safeParse(raw);
      if (!parsed.success) throw new Error(`pipeline config: stages.${s}.params: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
      return [s, parsed.data];
    }),
  );
  const config = opts.config ?? loadConfig(env);
  const log = (opts.log ?? createLogger({ component: "batch" }, config.LOG_LEVEL)).child({ shard: `${shard.index}/${shard.count}` });
  let handle: ReturnType<typeof openDatabase> | null = null;
  let db = opts.db;
  if (!db) {
    ensureFileDir(config.databaseUrl);
    handle = openDatabase(config.databaseUrl, config.DATABASE_AUTH_TOKEN);
    db = handle.db;
  }
  let embedder: Promise<ImageEmbedder> | null = opts.embedder ? Promise.resolve(opts.embedder) : null;
  const summary: PipelineSummary = { stages, shard: `${shard.index}/${shard.count}`, reports: [], crawl: [], embed: null, describe: null, export: null, version: null, published: false, activeArtworks: 0, timingsMs: {}, ms: 0 };
  try {
    await applyMigrations(db);
    await tuneSqlite(db, log);
    const bucket = opts.bucket ?? openBucket(config);
    const ctx: StageContext = {
      db,
      bucket,
      log,
      progress: opts.progress ?? progressEnabledByDefault(),
      shard,
      pipeline,
      config,
      env,
      crawl: pick(opts, ["shops", "shopUrl", "delayMs", "maxProducts", "revisitAfterHours"]),
      embedder: () => (embedder ??= resolveEmbedder(pipeline, env)),
      memo: new Map(),
    };
    log.info("pipeline started", { stages, shard: summary.shard });
    for (const stage of stages) {
      const mod = STAGE_MODULES[pipeline.stages[stage]!.module]!;
      const s0 = Date.now();
      const shardLabel = pipeline.stages[stage]!.sharded ? summary.shard : null;
      // A run killed mid-stage left its row "running": record it as interrupted before starting again.
      await db
        .update(pipelineRuns)
        .set({ status: "failed", stats: { error: "interrupted: no finish recorded (process killed?)" } })
        .where(and(eq(pipelineRuns.stage, stage), shardLabel ? eq(pipelineRuns.shard, shardLabel) : isNull(pipelineRuns.shard), eq(pipelineRuns.status, "running")));
      const [row] = await db.insert(pipelineRuns).values({ stage, shard: shardLabel, status: "running" }).returning({ id: pipelineRuns.id });
      try {
        const r = await mod.run(ctx, params[stage], stage);
        const ms = Date.now() - s0;
        await db.update(pipelineRuns).set({ status: "done", inputHash: r.inputHash, finishedAt: new Date().toISOString(), stats: { ...r.stats, cached: r.cached, ms } }).where(eq(pipelineRuns.id, row!.id));
        summary.reports.push({ ...r, stage, module: mod.module, ms });
        if (mod.module === "crawl") summary.crawl = ctx.memo.get("crawl") as CrawlStats[];
        if (mod.module === "embed") summary.embed = summary.describe = r.stats as unknown as EmbedStats;
        if (mod.module === "export") summary.export = ctx.memo.get("export") as ExportResult;
      } catch (e) {
        await db.update(pipelineRuns).set({ status: "failed", finishedAt: new Date().toISOString(), stats: { error: (e as Error).message, ms: Date.now() - s0 } }).where(eq(pipelineRuns.id, row!.id));
        log.error("stage failed", { stage, error: (e as Error).message });
        throw e;
      } finally {
        summary.timingsMs[stage] = Date.now() - s0;
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
    if (embedder) await (await embedder.catch(() => null))?.close?.();
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
