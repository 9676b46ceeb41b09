// Embedder selection in the pipeline: classic without a model; CLIP (a tiny generated model in the
// standard Hugging Face layout, loaded by the real code) when CLIP_MODEL_DIR is set; the feature
// cache and the artifacts are keyed by the embedder id.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeTinyClip } from "../scripts/model/tiny-clip.ts";
import { readArtifactSet, readPointer } from "../common/artifacts/read.ts";
import { loadConfig } from "../common/config.ts";
import { runPipeline } from "./pipeline.ts";
import { resolveEmbedder } from "./pipeline-embedder.ts";
import { createTestEnv, quietLog, testPipeline, type TestEnv } from "./pipeline-testkit.ts";

let env: TestEnv;
let modelDir: string;
const pipeline = testPipeline({ reduce: { epochs: 30 }, export: { tieredIndex: false } });

before(async () => {
  env = await createTestEnv();
  modelDir = join(env.dir, "tiny-clip");
  await writeTinyClip(modelDir);
});
after(async () => env?.close());

test("no model → classic; CLIP_MODEL_DIR → CLIP; each has its own feature cache and version", async () => {
  assert.equal((await resolveEmbedder(pipeline, {})).kind, "classic");
  await assert.rejects(resolveEmbedder({ ...pipeline, embedder: { ...pipeline.embedder, kind: "clip" } }, {}), /needs a model directory/);
  await env.addWorks(12);
  const config = loadConfig({ ARTSNOB_DATA_DIR: env.dataDir, LOG_LEVEL: "error" });
  const base = { db: env.db, bucket: env.bucket, pipeline, log: quietLog, progress: false, config, from: "embed" } as const;
  const classic = await runPipeline({ ...base, env: {} });
  const clip = await runPipeline({ ...base, env: { CLIP_MODEL_DIR: modelDir, CLIP_MODEL_ID: "tiny/clip" } });
  assert.equal(classic.embed!.computed, 12);
  assert.equal(clip.embed!.computed, 12, "CLIP does not reuse classic features");
  assert.match(String(clip.embed!.embedder), /tiny\/clip/);
  const set = await readArtifactSet(env.bucket, (await readPointer(env.bucket))!);
  assert.equal(set.manifest.embedder.kind, "clip");
  assert.notEqual(set.manifest.version, classic.version);
  const folders = new Set<string>();
  for await (const o of env.bucket.list("features/")) folders.add(o.key.split("/")[1]!);
  // Each embedder's features, plus the palettes behind colours.json (shared: they do not depend on the embedder).
  assert.ok(folders.delete("palette-v1") && set.manifest.files["colours.json"], "the CLIP set has colours.json");
  assert.equal(folders.size, 2, [...folders].join());
  // Back to classic: its cache is reused, nothing is embedded again.
  const again = await runPipeline({ ...base, env: {} });
  assert.equal(again.embed!.computed, 0);
  assert.equal(again.version, classic.version);
});
