// What every stage module provides and receives. A stage reads its typed inputs (the DB and
// upstream stage outputs in the bucket), writes its outputs under stages/<stage>/<inputHash>/
// (done.json last) and returns stats for the run record.
import type { z } from "zod";
import type { AppConfig } from "../common/config.ts";
import type { Bucket } from "../common/bucket/types.ts";
import type { Db } from "../common/db/client.ts";
import type { Logger } from "../common/log.ts";
import type { PipelineConfig, Shard } from "./pipeline-config.ts";
import type { ImageEmbedder } from "./features/embedder.ts";

export interface StageContext {
  db: Db;
  bucket: Bucket;
  log: Logger;
  progress: boolean;
  shard: Shard;
  pipeline: PipelineConfig;
  config: AppConfig;
  env: Record<string, string | undefined>;
  /** Crawl flags from the command line (shop files, base URL, delays). */
  crawl: CrawlFlags;
  /** The configured embedder, created on first use and closed at the end of the run. */
  embedder(): Promise<ImageEmbedder>;
  /** Values one stage hands to a later one in the same process (e.g. the loaded matrix). */
  memo: Map<string, unknown>;
}

export interface CrawlFlags {
  /** Config files, parsed configs, or files with their own base URL (`--shop FILE=URL`). */
  shops?: Array<string | import("./crawl/shop-config.ts").ShopConfig | import("./shop-spec.ts").ShopTarget>;
  /** Base URL for every shop without its own. */
  shopUrl?: string;
  delayMs?: number;
  maxProducts?: number;
  revisitAfterHours?: number;
}

export interface StageResult {
  /** Content hash of everything the stage read (null for stages without one, like crawl). */
  inputHash: string | null;
  /** True when the output for these inputs existed already. */
  cached: boolean;
  stats: Record<string, unknown>;
}

export interface StageModule<P = unknown> {
  /** Registry name used by `module:` in pipeline.yaml. */
  module: string;
  /** Human description of typed inputs and outputs (shown by `--list`). */
  inputs: string[];
  outputs: string[];
  /** Parameter schema; pipeline.yaml's `params` are validated against it. */
  params: z.ZodType<P>;
  run(ctx: StageContext, params: P, stage: string): Promise<StageResult>;
}

export function defineStage<P>(m: StageModule<P>): StageModule<P> {
  return m;
}
