// `npm run deploy:batch` / `deno task deploy:batch`: builds the batch image (Cloud Build), renders the
// Cloud Run job definitions in deploy/jobs/*.yaml and applies them with `gcloud run jobs replace`;
// with --execute also runs the pipeline once (crawl → embed on N tasks → build → export + publish).
// --dry-run prints the exact gcloud commands (and writes the rendered YAML) without running anything.
//   npm run deploy:batch -- --project my-proj --region europe-west1 --r2-account <id> [--embed-tasks 8] [--dry-run]
// Flags (env fallback): --project (GCP_PROJECT), --region (GCP_REGION, europe-west1), --tag (git HEAD),
// --image, --batch-bucket (gs://<project>-artsnob-batch), --edge-bucket (s3://artsnob?endpoint=…) or
// --r2-account (R2_ACCOUNT_ID), --embed-tasks (8), --service-account, --job-prefix (artsnob),
// --clip-model-dir, --out (rendered YAML dir), --skip-build, --execute, --dry-run.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const JOBS = ["crawl", "embed", "build", "export"] as const;

export interface BatchDeployOptions {
  project: string;
  region: string;
  tag: string;
  image: string;
  batchBucket: string;
  edgeBucket: string;
  embedTasks: number;
  serviceAccount: string;
  jobPrefix: string;
  clipModelDir: string;
  out: string;
  skipBuild: boolean;
  execute: boolean;
  dryRun: boolean;
}

export class DeployArgsError extends Error {}

function gitHead(): string {
  const r = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: REPO, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "latest";
}

export function parseDeployArgs(argv: string[], env: Record<string, string | undefined> = process.env): BatchDeployOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      project: { type: "string" }, region: { type: "string" }, tag: { type: "string" }, image: { type: "string" },
      "batch-bucket": { type: "string" }, "edge-bucket": { type: "string" }, "r2-account": { type: "string" },
      "embed-tasks": { type: "string" }, "service-account": { type: "string" }, "job-prefix": { type: "string" },
      "clip-model-dir": { type: "string" }, out: { type: "string" },
      "skip-build": { type: "boolean" }, execute: { type: "boolean" }, "dry-run": { type: "boolean" },
    },
    strict: true,
    allowPositionals: false,
  });
  const project = values.project ?? env.GCP_PROJECT;
  if (!project || !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(project)) throw new DeployArgsError(`--project (or GCP_PROJECT) must be a GCP project id, got ${JSON.stringify(project ?? "")}`);
  const region = values.region ?? env.GCP_REGION ?? "europe-west1";
  if (!/^[a-z]+-[a-z]+\d$/.test(region)) throw new DeployArgsError(`--region must look like europe-west1, got ${JSON.stringify(region)}`);
  const tag = values.tag ?? gitHead();
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(tag)) throw new DeployArgsError(`--tag: invalid image tag ${JSON.stringify(tag)}`);
  const embedTasks = Number(values["embed-tasks"] ?? env.EMBED_TASKS ?? 8);
  if (!Number.isInteger(embedTasks) || embedTasks < 1 || embedTasks > 10_000) throw new DeployArgsError(`--embed-tasks must be an integer 1…10000, got ${JSON.stringify(values["embed-tasks"])}`);
  const batchBucket = values["batch-bucket"] ?? env.BATCH_BUCKET ?? `gs://${project}-artsnob-batch`;
  if (!/^gs:\/\/[a-z0-9][a-z0-9._-]{1,221}[a-z0-9](\/[^\s]*)?$/.test(batchBucket)) throw new DeployArgsError(`--batch-bucket must be gs://bucket[/prefix], got ${JSON.stringify(batchBucket)}`);
  const account = values["r2-account"] ?? env.R2_ACCOUNT_ID;
  const edgeBucket = values["edge-bucket"] ?? env.EDGE_BUCKET ?? (account ? `s3://artsnob?endpoint=https://${account}.r2.cloudflarestorage.com` : undefined);
  if (!edgeBucket || !/^s3:\/\/[a-z0-9][a-z0-9.-]{2,62}(\/[^?\s]*)?\?endpoint=https?:\/\/[^\s&]+(&[^\s]*)?$/.test(edgeBucket)) {
    throw new DeployArgsError(`--edge-bucket s3://bucket?endpoint=https://<account>.r2.cloudflarestorage.com (or --r2-account / R2_ACCOUNT_ID) is required, got ${JSON.stringify(edgeBucket ?? "")}`);
  }
  const jobPrefix = values["job-prefix"] ?? "artsnob";
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(jobPrefix)) throw new DeployArgsError(`--job-prefix: invalid ${JSON.stringify(jobPrefix)}`);
  return {
    project,
    region,
    tag,
    image: values.image ?? `${region}-docker.pkg.dev/${project}/artsnob/batch:${tag}`,
    batchBucket,
    edgeBucket,
    embedTasks,
    serviceAccount: values["service-account"] ?? `artsnob-batch@${project}.iam.gserviceaccount.com`,
    jobPrefix,
    clipModelDir: values["clip-model-dir"] ?? env.CLIP_MODEL_DIR ?? "",
    out: values.out ?? mkdtempSync(join(tmpdir(), "artsnob-jobs-")),
    skipBuild: values["skip-build"] ?? false,
    execute: values.execute ?? false,
    dryRun: values["dry-run"] ?? false,
  };
}

/** Fills ${NAME} placeholders; an unknown placeholder is an error, not an empty string. */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`template placeholder \${${name}} has no value`);
    return vars[name]!;
  });
}

export function renderJobs(o: BatchDeployOptions): Array<{ job: string; name: string; file: string }> {
  const vars = { JOB_PREFIX: o.jobPrefix, IMAGE: o.image, SERVICE_ACCOUNT: o.serviceAccount, BATCH_BUCKET: o.batchBucket, EDGE_BUCKET: o.edgeBucket, EMBED_TASKS: String(o.embedTasks), CLIP_MODEL_DIR: o.clipModelDir };
  mkdirSync(o.out, { recursive: true });
  return JOBS.map((job) => {
    const file = join(o.out, `${job}.yaml`);
    writeFileSync(file, renderTemplate(readFileSync(join(REPO, "deploy/jobs", `${job}.yaml`), "utf8"), vars));
    return { job, name: `${o.jobPrefix}-${job}`, file };
  });
}

export function deployCommands(o: BatchDeployOptions, jobs: Array<{ job: string; name: string; file: string }>): string[][] {
  const where = ["--project", o.project, "--region", o.region];
  const cmds: string[][] = [];
  if (!o.skipBuild) cmds.push(["gcloud", "builds", "submit", ...where, "--config", join(REPO, "deploy/cloudbuild.yaml"), "--substitutions", `_IMAGE=${o.image}`, REPO]);
  for (const j of jobs) cmds.push(["gcloud", "run", "jobs", "replace", j.file, ...where]);
  if (o.execute) {
    for (const j of jobs) cmds.push(["gcloud", "run", "jobs", "execute", j.name, ...where, "--wait", ...(j.job === "embed" ? ["--tasks", String(o.embedTasks)] : [])]);
  }
  return cmds;
}

/** POSIX shell quoting, so printed commands can be pasted as they are. */
export function shellQuote(args: string[]): string {
  return args.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

export function main(argv: string[]): number {
  let o: BatchDeployOptions;
  try {
    o = parseDeployArgs(argv);
  } catch (e) {
    console.error(`deploy:batch: ${(e as Error).message}`);
    return 2;
  }
  const jobs = renderJobs(o);
  const cmds = deployCommands(o, jobs);
  if (o.dryRun) {
    for (const c of cmds) console.log(shellQuote(c));
    console.log(JSON.stringify({ dryRun: true, image: o.image, rendered: jobs.map((j) => j.file), commands: cmds.length }));
    return 0;
  }
  if (spawnSync("gcloud", ["--version"], { stdio: "ignore" }).error) {
    console.error("deploy:batch: the gcloud CLI is not on PATH (install the Google Cloud SDK, `gcloud auth login`), or use --dry-run to print the commands");
    return 1;
  }
  for (const c of cmds) {
    console.error(`$ ${shellQuote(c)}`);
    const r = spawnSync(c[0]!, c.slice(1), { stdio: "inherit" });
    if (r.status !== 0) {
      console.error(`deploy:batch: command failed (exit ${r.status ?? r.signal})`);
      return 1;
    }
  }
  console.log(JSON.stringify({ dryRun: false, image: o.image, jobs: jobs.map((j) => j.name), commands: cmds.length }));
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
