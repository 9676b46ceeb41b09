// `npm run batch` / `deno task batch`: the whole pipeline or one stage.
//   --only STAGE | --from STAGE   a stage of pipeline.yaml (crawl, embed, embed-merge, neighbours,
//                                 reduce, tags, clusters, random, export); --from runs it and
//                                 everything downstream
//   --shard i/N                   per-item stages on shard i of N (default CLOUD_RUN_TASK_INDEX/COUNT)
//   --config FILE                 pipeline config (default batch/pipeline.yaml)
//   --shop FILE[=URL]             shop config (repeatable; default batch/shops/openclipart-prints.json),
//                                 optionally fetched from URL (a fixture shop on 127.0.0.1:PORT)
//   --shop-url URL                fetch every shop without its own =URL from here
//   --delay-ms N                  gap between requests to one host (default 1000; lower is logged)
//   --max-products N              crawl at most N product pages this run
//   --revisit-hours H             re-check known products after H hours (0 = every run, conditional GET)
//   --no-progress                 no progress bars
// Prints the run summary as JSON on the last stdout line.
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runPipeline, STAGES, type PipelineOptions, type Stage } from "./pipeline.ts";
import { parseShard } from "./pipeline-config.ts";
import { parseShopSpec } from "./shop-spec.ts";

export { runPipeline, STAGES, type PipelineOptions, type PipelineSummary, type Stage } from "./pipeline.ts";

export function parseCli(argv: string[]): PipelineOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: "string" },
      from: { type: "string" },
      shard: { type: "string" },
      config: { type: "string" },
      shop: { type: "string", multiple: true },
      "shop-url": { type: "string" },
      "delay-ms": { type: "string" },
      "max-products": { type: "string" },
      "revisit-hours": { type: "string" },
      "no-progress": { type: "boolean" },
    },
    strict: true,
    allowPositionals: false,
  });
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${JSON.stringify(v)}`);
    return n;
  };
  const stage = (name: string, v: string | undefined): Stage | undefined => {
    if (v === undefined) return undefined;
    // "describe" was the skeleton's name for embed.
    const name2 = v === "describe" ? "embed" : v;
    if (!/^[a-z][a-z0-9-]*$/.test(name2)) throw new Error(`--${name} must be a stage name (${STAGES.join(", ")}), got ${JSON.stringify(v)}`);
    return name2;
  };
  const opts: PipelineOptions = {};
  const only = stage("only", values.only);
  const from = stage("from", values.from);
  if (only) opts.only = only;
  if (from) opts.from = from;
  if (values.shop) opts.shops = values.shop.map(parseShopSpec);
  if (values.shard) {
    parseShard(values.shard, {});
    opts.shard = values.shard;
  }
  if (values.config) opts.pipeline = values.config;
  if (values["shop-url"]) opts.shopUrl = values["shop-url"];
  const delay = num("delay-ms", values["delay-ms"]);
  if (delay !== undefined) opts.delayMs = delay;
  const maxProducts = num("max-products", values["max-products"]);
  if (maxProducts !== undefined) opts.maxProducts = maxProducts;
  const revisit = num("revisit-hours", values["revisit-hours"]);
  if (revisit !== undefined) opts.revisitAfterHours = revisit;
  if (values["no-progress"]) opts.progress = false;
  return opts;
}

async function main(): Promise<void> {
  let opts: PipelineOptions;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (e) {
    console.error(`batch: ${(e as Error).message}`);
    process.exitCode = 2;
    return;
  }
  try {
    const summary = await runPipeline(opts);
    console.log(JSON.stringify(summary));
  } catch (e) {
    console.error(`batch failed: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

/** Entry point for one stage's own module (`tsx batch/features/describe.ts --delay-ms …`). */
export async function runStageCli(stage: Stage): Promise<void> {
  try {
    const summary = await runPipeline({ ...parseCli(process.argv.slice(2)), only: stage });
    console.log(JSON.stringify(summary));
  } catch (e) {
    console.error(`batch ${stage} failed: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
