// deploy:batch without an account: `--dry-run` prints the exact gcloud commands (npm script and
// `deno task` agree), the rendered Cloud Run job files are complete and cover the pipeline's stages in
// order, bad flags fail clearly, and without gcloud on PATH a real run refuses with a clear message.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { parse } from "yaml";
import { loadPipelineConfig } from "../../batch/pipeline-config.ts";
import { REPO } from "./batch.ts";

const out = mkdtempSync(join(tmpdir(), "artsnob-deploy-batch-"));
after(() => rmSync(out, { recursive: true, force: true }));
const FLAGS = ["--project", "art-snob-prod", "--region", "europe-west1", "--r2-account", "0123abcd", "--embed-tasks", "6", "--tag", "v42", "--execute", "--dry-run"];
const env = { ...process.env, GCP_PROJECT: "", R2_ACCOUNT_ID: "", DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
const npm = (args: string[], extraEnv: Record<string, string> = {}) => spawnSync("npm", ["run", "--silent", "deploy:batch", "--", ...args], { cwd: REPO, encoding: "utf8", env: { ...env, ...extraEnv } });
const commandLines = (stdout: string) => stdout.split("\n").filter((l) => l.startsWith("gcloud "));

test("--dry-run prints the exact gcloud commands", () => {
  const r = npm([...FLAGS, "--out", join(out, "npm")]);
  assert.equal(r.status, 0, r.stderr);
  const o = join(out, "npm");
  const image = "europe-west1-docker.pkg.dev/art-snob-prod/artsnob/batch:v42";
  const where = "--project art-snob-prod --region europe-west1";
  assert.deepEqual(commandLines(r.stdout), [
    `gcloud builds submit ${where} --config ${REPO}deploy/cloudbuild.yaml --substitutions _IMAGE=${image} ${REPO}`,
    ...["crawl", "embed", "build", "export"].map((j) => `gcloud run jobs replace ${o}/${j}.yaml ${where}`),
    `gcloud run jobs execute artsnob-crawl ${where} --wait`,
    `gcloud run jobs execute artsnob-embed ${where} --wait --tasks 6`,
    `gcloud run jobs execute artsnob-build ${where} --wait`,
    `gcloud run jobs execute artsnob-export ${where} --wait`,
  ]);
  const summary = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { dryRun: boolean; commands: number };
  assert.deepEqual([summary.dryRun, summary.commands], [true, 9]);
});

test("deno task deploy:batch prints the same commands", () => {
  const r = spawnSync(join(REPO, "node_modules/deno/deno"), ["task", "deploy:batch", ...FLAGS, "--out", join(out, "npm")], { cwd: REPO, encoding: "utf8", env });
  assert.equal(r.status, 0, r.stderr);
  const n = npm([...FLAGS, "--out", join(out, "npm")]);
  assert.deepEqual(commandLines(r.stdout), commandLines(n.stdout));
});

type Job = { metadata: { name: string }; spec: { template: { spec: { taskCount: number; parallelism: number; template: { spec: { timeoutSeconds: string; maxRetries: number; serviceAccountName: string; containers: Array<{ image: string; command: string[]; args: string[]; resources: { limits: { cpu: string; memory: string } }; env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string } } }> }> } } } } } };

test("rendered job files: complete, resources per job, embed sharded over N tasks, stages in pipeline order", async () => {
  const o = join(out, "npm");
  const jobs = Object.fromEntries(["crawl", "embed", "build", "export"].map((j) => {
    const text = readFileSync(join(o, `${j}.yaml`), "utf8");
    assert.doesNotMatch(text, /\$\{/, `${j}: every placeholder filled`);
    return [j, parse(text) as Job];
  }));
  const stages: string[] = [];
  for (const [name, job] of Object.entries(jobs)) {
    assert.equal(job.metadata.name, `artsnob-${name}`);
    const task = job.spec.template.spec.template.spec;
    const c = task.containers[0]!;
    assert.equal(c.image, "europe-west1-docker.pkg.dev/art-snob-prod/artsnob/batch:v42");
    assert.equal(task.serviceAccountName, "artsnob-batch@art-snob-prod.iam.gserviceaccount.com");
    assert.ok(Number(task.timeoutSeconds) > 0 && task.maxRetries >= 1);
    assert.ok(Number(c.resources.limits.cpu) >= 1 && /^\d+Gi$/.test(c.resources.limits.memory));
    const envOf = (n: string) => c.env.find((e) => e.name === n);
    assert.equal(envOf("BUCKET")?.value, "gs://art-snob-prod-artsnob-batch");
    assert.equal(envOf("DATABASE_URL")?.valueFrom?.secretKeyRef.name, "artsnob-database-url", "secrets come from Secret Manager");
    assert.equal(envOf("DATABASE_AUTH_TOKEN")?.valueFrom?.secretKeyRef.name, "artsnob-database-token");
    assert.deepEqual(c.command, ["node", "--import", "tsx", "deploy/batch-job.ts"]);
    stages.push(...c.args[c.args.indexOf("--stages") + 1]!.split(","));
  }
  assert.deepEqual([jobs.embed!.spec.template.spec.taskCount, jobs.embed!.spec.template.spec.parallelism], [6, 6]);
  for (const j of ["crawl", "build", "export"]) assert.equal(jobs[j]!.spec.template.spec.taskCount, 1);
  const mem = (j: string) => parseInt(jobs[j]!.spec.template.spec.template.spec.containers[0]!.resources.limits.memory);
  assert.ok(mem("build") > mem("embed") && mem("embed") > mem("crawl"), "build holds the whole matrix; embed runs CLIP; crawl is I/O");
  const exportArgs = jobs.export!.spec.template.spec.template.spec.containers[0]!.args;
  assert.equal(exportArgs[exportArgs.indexOf("--publish-to") + 1], "s3://artsnob?endpoint=https://0123abcd.r2.cloudflarestorage.com");
  // Every stage of batch/pipeline.yaml runs exactly once, and never before a stage it needs.
  const pipeline = await loadPipelineConfig(join(REPO, "batch/pipeline.yaml"));
  assert.deepEqual([...stages].sort(), Object.keys(pipeline.stages).sort());
  for (const [i, s] of stages.entries()) for (const need of pipeline.stages[s]!.needs) assert.ok(stages.indexOf(need) < i, `${s} after ${need}`);
});

test("bad flags fail with a clear message and exit 2", () => {
  const cases: Array<[string[], RegExp]> = [
    [["--dry-run", "--r2-account", "x"], /--project/],
    [["--project", "art-snob-prod", "--dry-run"], /--edge-bucket/],
    [["--project", "art-snob-prod", "--r2-account", "x", "--embed-tasks", "0", "--dry-run"], /--embed-tasks/],
    [["--project", "art-snob-prod", "--r2-account", "x", "--region", "mars", "--dry-run"], /--region/],
    [["--project", "art-snob-prod", "--r2-account", "x", "--nope"], /Unknown option/],
  ];
  for (const [args, message] of cases) {
    const r = npm(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

const HAS_GCLOUD = !spawnSync("gcloud", ["--version"], { stdio: "ignore" }).error;

test("every printed command and flag exists in the installed gcloud CLI (offline --help)", { skip: !HAS_GCLOUD && "gcloud not installed" }, () => {
  const lines = commandLines(npm([...FLAGS, "--out", join(out, "npm")]).stdout);
  const byCommand = new Map<string, Set<string>>();
  for (const line of lines) {
    const words = line.split(" ");
    const cmd = words.slice(1, words[1] === "builds" ? 3 : 4).join(" ");
    const flags = byCommand.get(cmd) ?? new Set<string>();
    for (const w of words) if (w.startsWith("--")) flags.add(w);
    byCommand.set(cmd, flags);
  }
  assert.deepEqual([...byCommand.keys()], ["builds submit", "run jobs replace", "run jobs execute"]);
  for (const [cmd, flags] of byCommand) {
    const help = spawnSync("gcloud", [...cmd.split(" "), "--help"], { encoding: "utf8", env: { ...env, CLOUDSDK_CORE_DISABLE_PROMPTS: "1" }, timeout: 60_000 });
    assert.equal(help.status, 0, `gcloud ${cmd} --help: ${help.stderr}`);
    const text = help.stdout.replace(/\x1b\[[0-9;]*m/g, "");
    for (const f of flags) assert.match(text, new RegExp(`${f}\\b`), `gcloud ${cmd} has ${f}`);
  }
});

test("without gcloud on PATH a real run refuses before doing anything", () => {
  // Run the script directly (no npm, no git) with a PATH that holds no gcloud.
  const empty = mkdtempSync(join(out, "path-"));
  const r = spawnSync(process.execPath, ["--import", "tsx", join(REPO, "scripts/deploy/batch.ts"), "--project", "art-snob-prod", "--r2-account", "x", "--tag", "t", "--out", join(out, "real")], { cwd: REPO, encoding: "utf8", env: { ...env, PATH: empty } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /gcloud CLI is not on PATH/);
});
