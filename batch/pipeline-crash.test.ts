// Crash safety: SIGKILL the pipeline (a child process) in the middle of the embed stage, check the
// published artifacts are intact, then rerun: it resumes (already embedded images are not redone)
// and publishes the new set.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readArtifactSet, readPointer } from "../common/artifacts/read.ts";
import { loadConfig } from "../common/config.ts";
import { eq } from "drizzle-orm";
import { pipelineRuns } from "../common/db/schema.ts";
import { runPipeline } from "./pipeline.ts";
import { createTestEnv, quietLog, testPipeline, type TestEnv } from "./pipeline-testkit.ts";
import { featureFolder } from "./features/describe.ts";
import { classicEmbedder } from "./pipeline-embedder.ts";

let env: TestEnv;
const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));
const pipeline = testPipeline({ reduce: { epochs: 50 } });

before(async () => (env = await createTestEnv()));
after(async () => env?.close());

async function countFeatures(): Promise<number> {
  try {
    return (await readdir(join(env.dataDir, "bucket", featureFolder(classicEmbedder().id)))).filter((f) => f.endsWith(".f32")).length;
  } catch {
    return 0;
  }
}

test("SIGKILL mid-embed leaves the published set intact; the rerun resumes and publishes", async () => {
  await env.addWorks(20);
  const config = loadConfig({ ARTSNOB_DATA_DIR: env.dataDir, DATABASE_URL: `file:${join(env.dir, "db.sqlite")}` });
  const first = await runPipeline({ db: env.db, bucket: env.bucket, pipeline, log: quietLog, progress: false, config, env: {}, from: "embed" });
  assert.equal(first.published, true);
  const pointer = (await readPointer(env.bucket))!;

  await env.addWorks(200);
  const child = spawn(process.execPath, ["--import", "tsx", cli, "--from", "embed", "--no-progress"], {
    env: { ...process.env, ARTSNOB_DATA_DIR: env.dataDir, DATABASE_URL: `file:${join(env.dir, "db.sqlite")}`, LOG_LEVEL: "error", NODE_TEST_CONTEXT: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ? -1 : code)));
  // Kill once the child has embedded some, but not all, of the new images.
  const t0 = Date.now();
  let n = 0;
  while ((n = await countFeatures()) < 20 + 20) {
    if (Date.now() - t0 > 60000) throw new Error(`child made no progress: ${stderr.slice(0, 2000)}`);
    if (child.exitCode !== null) throw new Error(`child exited early (${child.exitCode}): ${stderr.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill("SIGKILL");
  assert.equal(await exited, -1);
  const doneBeforeKill = await countFeatures();
  assert.ok(doneBeforeKill < 220, `killed mid-stage (${doneBeforeKill} of 220 embedded)`);

  // The published set is untouched and still verifies.
  assert.deepEqual(await readPointer(env.bucket), pointer);
  await readArtifactSet(env.bucket, pointer);

  const killed = await env.db.select().from(pipelineRuns).where(eq(pipelineRuns.status, "running"));
  assert.deepEqual(killed.map((r) => r.stage), ["embed"], "the killed stage's row is left running");
  const rerun = await runPipeline({ db: env.db, bucket: env.bucket, pipeline, log: quietLog, progress: false, config, env: {}, from: "embed" });
  assert.equal(rerun.embed!.cached, doneBeforeKill, "images embedded before the kill are not redone");
  assert.equal(rerun.embed!.computed, 220 - doneBeforeKill);
  assert.equal(rerun.published, true);
  const set = await readArtifactSet(env.bucket, (await readPointer(env.bucket))!);
  assert.equal(set.ids.length, 220);
  const [row] = await env.db.select().from(pipelineRuns).where(eq(pipelineRuns.id, killed[0]!.id));
  assert.equal(row!.status, "failed");
  assert.match(String(row!.stats.error), /interrupted/);
});
