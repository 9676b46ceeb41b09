// Export stage: versions named by their inputs, keep-N pruning, refusal of mismatched inputs
// with the published set left intact.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { artifactVersions } from "../../common/db/schema.ts";
import { readArtifactSet, readPointer } from "../../common/artifacts/read.ts";
import { runPipeline } from "../pipeline.ts";
import { classicEmbedder } from "../pipeline-embedder.ts";
import { createTestEnv, quietLog, testPipeline, type TestEnv } from "../pipeline-testkit.ts";

let env: TestEnv;
const pipeline = testPipeline({ export: { keep: 2 }, reduce: { epochs: 50 } });
const run = (o: Parameters<typeof runPipeline>[0] = {}) => runPipeline({ db: env.db, bucket: env.bucket, embedder: classicEmbedder(), pipeline, log: quietLog, progress: false, env: {}, ...(o.only ? {} : { from: "embed" }), ...o });

before(async () => (env = await createTestEnv()));
after(async () => env?.close());

test("each change is a new version; only the newest `keep` survive; unchanged inputs publish nothing", async () => {
  await env.addWorks(30);
  const versions: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await run();
    assert.equal(r.published, true);
    assert.ok(!versions.includes(r.version!));
    versions.push(r.version!);
    await env.addWorks(1);
  }
  const left = new Set<string>();
  for await (const o of env.bucket.list("artifacts/v/")) left.add(o.key.split("/")[2]!);
  assert.deepEqual([...left].sort(), versions.slice(-2).sort());
  const rows = await env.db.select().from(artifactVersions);
  assert.equal(rows.find((r) => r.version === versions[0])?.status, "retired");
  assert.equal(rows.filter((r) => r.status === "published").map((r) => r.version).join(), versions.at(-1));
  const r4 = await run(); // the work added after the last run
  const r5 = await run();
  assert.equal(r4.published, true);
  assert.equal(r5.published, false);
  assert.equal(r5.version, r4.version);
});

test("stage outputs from another feature matrix are refused and the published set stays intact", async () => {
  const pointer = (await readPointer(env.bucket))!;
  await env.addWorks(1);
  await run({ only: "embed" });
  await run({ only: "embed-merge" });
  // neighbours, reduce and random still describe the previous works.
  await assert.rejects(run({ only: "export" }), /neighbours output was built from another feature matrix; rerun --from neighbours/);
  assert.deepEqual(await readPointer(env.bucket), pointer);
  await readArtifactSet(env.bucket, pointer); // still complete and verified
  const fixed = await run({ from: "neighbours" });
  assert.equal(fixed.published, true);
});
