// deploy/jobs/*.yaml + deploy/batch-job.ts: the Cloud Run jobs, rehearsed locally: the commands and arguments of the rendered job files
// (deploy/jobs/*.yaml via scripts/deploy/batch.ts) run as processes in order — crawl (against the
// fixture shop), embed as 2 parallel tasks with CLOUD_RUN_TASK_INDEX/COUNT, build, export — and the
// export job publishes to an S3 endpoint (the local S3 fake standing in for R2), where the published
// version then reads back completely and sha256-verified through S3Bucket.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parse } from "yaml";
import { readArtifactSet, readPointer } from "../../common/artifacts/read.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { S3Bucket } from "../../common/bucket/s3.ts";
import { openDatabase } from "../../common/db/client.ts";
import { activeWorks } from "../../batch/features/store.ts";
import { startS3Fake, type S3Fake } from "../../test/fixtures/s3-fake/server.ts";
import { startFixtureShop, type FixtureShop } from "../../test/fixtures/shop/server.ts";
import { parseDeployArgs, renderJobs, REPO } from "./batch.ts";

const dir = mkdtempSync(join(tmpdir(), "artsnob-jobs-local-"));
let shop: FixtureShop;
let s3: S3Fake;
before(async () => {
  shop = await startFixtureShop({ host: "127.0.0.1", port: 0 });
  s3 = await startS3Fake();
});
after(async () => {
  await shop?.close();
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

type JobFile = { spec: { template: { spec: { taskCount: number; template: { spec: { containers: Array<{ command: string[]; args: string[] }> } } } } } };

function run(cmd: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, cmd.slice(1), { cwd: REPO, env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c));
    child.stderr.on("data", (c: Buffer) => (out += c));
    child.on("close", (code) => resolve({ code, out }));
  });
}

test("crawl → embed (2 tasks) → build → export + publish, as the job files say", async () => {
  const edge = `s3://edge?endpoint=${s3.endpoint}`;
  const o = parseDeployArgs(["--project", "art-snob-test", "--edge-bucket", edge, "--embed-tasks", "2", "--tag", "t", "--out", join(dir, "jobs")], {});
  const jobs = Object.fromEntries(renderJobs(o).map((j) => [j.job, parse(readFileSync(j.file, "utf8")) as JobFile]));
  const container = (j: string) => jobs[j]!.spec.template.spec.template.spec.containers[0]!;
  // Local stand-ins for what Cloud Run gets from the job spec and Secret Manager.
  const env = { ARTSNOB_DATA_DIR: join(dir, "data"), BUCKET: "", DATABASE_URL: "", LOG_LEVEL: "warn", CLIP_MODEL_DIR: "", S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey };
  delete (env as Record<string, string>).BUCKET;
  delete (env as Record<string, string>).DATABASE_URL;
  const timings: Record<string, number> = {};
  const step = async (job: string, extra: string[] = [], taskEnv: Array<Record<string, string>> = [{ CLOUD_RUN_TASK_INDEX: "0", CLOUD_RUN_TASK_COUNT: "1" }]) => {
    const c = container(job);
    const t0 = Date.now();
    const results = await Promise.all(taskEnv.map((t) => run([...c.command, ...c.args, ...extra], { ...env, ...t })));
    timings[job] = Date.now() - t0;
    for (const r of results) assert.equal(r.code, 0, `${job}: ${r.out.slice(-2000)}`);
    return results.map((r) => JSON.parse(r.out.trim().split("\n").at(-1)!) as Record<string, unknown>);
  };
  await step("crawl", ["--shop-url", shop.url, "--delay-ms", "0", "--max-products", "20"]);
  assert.equal(jobs.embed!.spec.template.spec.taskCount, 2);
  await step("embed", [], [0, 1].map((i) => ({ CLOUD_RUN_TASK_INDEX: String(i), CLOUD_RUN_TASK_COUNT: "2" })));
  await step("build");
  const [exported] = await step("export");
  console.log(JSON.stringify({ measured: timings }));

  // Both embed shards ran (one pipeline_runs row each).
  const handle = openDatabase(`file:${join(dir, "data/artsnob.db")}`);
  let exportedWorks: number;
  try {
    const rows = await handle.client.execute("select shard, status from pipeline_runs where stage = 'embed' order by shard");
    assert.deepEqual(rows.rows.map((r) => [r.shard, r.status]), [["0/2", "done"], ["1/2", "done"]]);
    // The export's input: active works with an image, duplicate listings counted once (as offers).
    exportedWorks = (await activeWorks(handle.db)).length;
  } finally {
    handle.close();
  }
  // The edge bucket holds the batch's published version, complete and verified, and every image.
  const local = new LocalBucket(join(dir, "data/bucket"));
  const r2 = new S3Bucket({ endpoint: s3.endpoint, bucket: "edge", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });
  const pointer = (await readPointer(r2))!;
  assert.equal(pointer.version, (await readPointer(local))!.version);
  assert.equal(pointer.version, exported!.version);
  const set = await readArtifactSet(r2, pointer);
  assert.ok(exportedWorks > 0);
  assert.equal(set.manifest.count, exportedWorks);
  const count = async (b: LocalBucket | S3Bucket) => {
    let n = 0;
    for await (const _ of b.list("images/")) n++;
    return n;
  };
  assert.equal(await count(r2), await count(local));
  const img = (await r2.list("images/")[Symbol.asyncIterator]().next()).value as { key: string };
  assert.equal((await r2.head(img.key))?.cacheControl, "public, max-age=31536000, immutable");
});
