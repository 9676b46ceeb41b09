// Container entry point of the Cloud Run jobs (deploy/jobs/*.yaml): runs the named pipeline stages in
// order, each as `npm run batch -- --only STAGE` would (sharded stages take their shard from
// CLOUD_RUN_TASK_INDEX / CLOUD_RUN_TASK_COUNT), then optionally publishes the exported version to the
// edge bucket (R2 over its S3 API) with scripts/deploy/publish.ts.
//   node --import tsx deploy/batch-job.ts --stages embed-merge,neighbours,reduce [batch flags…]
//   node --import tsx deploy/batch-job.ts --stages export --publish-to s3://artsnob?endpoint=https://…
// Every other flag goes to the batch CLI parser (--shop, --delay-ms, --max-products, …).
// Prints one JSON summary line; exits 2 on bad flags, 1 on a failed stage or publish.
import { fileURLToPath } from "node:url";
import { parseCli } from "../batch/cli.ts";
import { runPipeline } from "../batch/pipeline.ts";
import { openBucket } from "../common/bucket/open.ts";
import { loadConfig } from "../common/config.ts";
import { createLogger } from "../common/log.ts";
import { openDeployBucket } from "../scripts/deploy/buckets.ts";
import { publish } from "../scripts/deploy/publish.ts";

export interface JobArgs {
  stages: string[];
  publishTo: string | null;
  rest: string[];
}

export function parseJobArgs(argv: string[]): JobArgs {
  const rest: string[] = [];
  let stages: string[] | null = null;
  let publishTo: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--stages" || a === "--publish-to") {
      const v = argv[++i];
      if (!v || v.startsWith("--")) throw new Error(`${a} needs a value`);
      if (a === "--stages") stages = v.split(",").map((s) => s.trim()).filter(Boolean);
      else publishTo = v;
    } else rest.push(a);
  }
  if (!stages?.length) throw new Error("--stages STAGE[,STAGE…] is required (crawl, embed, embed-merge, neighbours, reduce, tags, clusters, random, export)");
  if (publishTo !== null && !stages.includes("export")) throw new Error("--publish-to only makes sense with the export stage");
  return { stages, publishTo, rest };
}

async function main(): Promise<number> {
  let args: JobArgs;
  let base: ReturnType<typeof parseCli>;
  try {
    args = parseJobArgs(process.argv.slice(2));
    base = parseCli([...args.rest, "--no-progress"]);
    if (base.only || base.from) throw new Error("use --stages, not --only/--from");
  } catch (e) {
    console.error(JSON.stringify({ level: "error", msg: "bad job arguments", error: (e as Error).message }));
    return 2;
  }
  const log = createLogger({ component: "batch-job", task: `${process.env.CLOUD_RUN_TASK_INDEX ?? 0}/${process.env.CLOUD_RUN_TASK_COUNT ?? 1}` });
  const t0 = Date.now();
  const summary: Record<string, unknown> = { stages: args.stages, timingsMs: {} as Record<string, number> };
  try {
    for (const stage of args.stages) {
      const s0 = Date.now();
      const r = await runPipeline({ ...base, only: stage });
      (summary.timingsMs as Record<string, number>)[stage] = Date.now() - s0;
      summary.version = r.version;
      summary.activeArtworks = r.activeArtworks;
    }
    if (args.publishTo) {
      const config = loadConfig(process.env);
      summary.publish = await publish({ from: openBucket(config), to: await openDeployBucket(args.publishTo), log: log.child({ step: "publish" }) });
    }
    summary.ms = Date.now() - t0;
    console.log(JSON.stringify(summary));
    return 0;
  } catch (e) {
    log.error("job failed", { error: (e as Error).message, stages: args.stages });
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
