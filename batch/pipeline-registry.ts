// Stage modules by the name pipeline.yaml uses in `module:`. Each module also has its own entry
// point (`tsx batch/<path>.ts`), which runs just that stage with the CLI's flags.
import { z } from "zod";
import type { StageModule } from "./pipeline-stage.ts";
import { defineStage } from "./pipeline-stage.ts";
import { runCrawl, type CrawlStats } from "./crawl/crawl.ts";
import { loadShopConfig } from "./crawl/shop-config.ts";
import { isShopTarget } from "./shop-spec.ts";
import { embedStage } from "./features/describe.ts";
import { mergeStage } from "./shard/merge.ts";
import { neighboursStage } from "./features/neighbours.ts";
import { reduceStage } from "./reduce/reduce.ts";
import { tagsStage } from "./tags/tags.ts";
import { clustersStage } from "./clusters/clusters.ts";
import { randomStage } from "./random/random.ts";
import { exportStage } from "./export/export.ts";
import { fileURLToPath } from "node:url";

export const DEFAULT_SHOP_CONFIG = fileURLToPath(new URL("./shops/openclipart-prints.json", import.meta.url));

/** crawl/crawl.ts stays as it is; this adapts it to the stage interface. */
export const crawlStage = defineStage({
  module: "crawl",
  inputs: ["shop config (batch/shops/*.json)", "the shop over HTTP"],
  outputs: ["DB: artworks, crawl_urls, price_history, crawl_runs", "bucket: images/"],
  params: z.object({}).strict(),
  async run(ctx) {
    const out: CrawlStats[] = [];
    for (const s of ctx.crawl.shops ?? [DEFAULT_SHOP_CONFIG]) {
      const shop = typeof s === "string" ? await loadShopConfig(s) : isShopTarget(s) ? await loadShopConfig(s.file) : s;
      const { shops: _s, ...flags } = ctx.crawl;
      // A shop's own URL (`--shop FILE=URL`) wins over the shared --shop-url.
      const own = isShopTarget(s) ? { shopUrl: s.url } : {};
      out.push(await runCrawl({ db: ctx.db, bucket: ctx.bucket, shop, log: ctx.log, progress: ctx.progress, ...flags, ...own }));
    }
    ctx.memo.set("crawl", out);
    return { inputHash: null, cached: false, stats: { shops: out.length, ...out[0] } };
  },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const STAGE_MODULES: Record<string, StageModule<any>> = {
  crawl: crawlStage,
  embed: embedStage,
  "embed-merge": mergeStage,
  neighbours: neighboursStage,
  reduce: reduceStage,
  tags: tagsStage,
  clusters: clustersStage,
  random: randomStage,
  export: exportStage,
};
