import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DEFAULT_PIPELINE_CONFIG, parsePipelineConfig, parseShard, selectStages, shardOf, topoOrder } from "./pipeline-config.ts";
import { STAGE_MODULES } from "./pipeline-registry.ts";

const yaml = readFileSync(DEFAULT_PIPELINE_CONFIG, "utf8");

test("the shipped pipeline.yaml is valid, acyclic, and every stage's params fit its module", () => {
  const c = parsePipelineConfig(yaml);
  const order = topoOrder(c.stages);
  assert.deepEqual(order, ["crawl", "embed", "embed-merge", "neighbours", "reduce", "tags", "clusters", "random", "export"]);
  for (const [name, s] of Object.entries(c.stages)) {
    const mod = STAGE_MODULES[s.module];
    assert.ok(mod, `${name}: module ${s.module}`);
    assert.ok(mod.params.safeParse(s.params).success, `${name} params`);
  }
  assert.equal(c.stages.embed!.sharded, true);
  assert.ok(c.vibes.length >= 9);
});

test("bad configs are refused with the path of every problem", () => {
  assert.throws(() => parsePipelineConfig("version: 1\nstages:\n  a: { module: crawl, needs: [b] }\n"), /stages\.a\.needs: unknown stage "b"/);
  assert.throws(() => parsePipelineConfig("version: 1\nstages:\n  a: { module: crawl, needs: [b] }\n  b: { module: embed, needs: [a] }\n"), /cycle: a → b → a/);
  assert.throws(() => parsePipelineConfig("version: 2\nstages: {}\n"), /version/);
  assert.throws(() => parsePipelineConfig("version: 1\nstages:\n  a: { needs: [] }\n"), /stages\.a\.module/);
  assert.throws(() => parsePipelineConfig(": : :"), /not valid YAML|stages/);
});

test("--from selects the stage and every stage after it; --only one stage", () => {
  const c = parsePipelineConfig(yaml);
  assert.deepEqual(selectStages(c, { from: "reduce" }), ["reduce", "tags", "clusters", "random", "export"]);
  assert.deepEqual(selectStages(c, { from: "embed" }), ["embed", "embed-merge", "neighbours", "reduce", "tags", "clusters", "random", "export"]);
  assert.deepEqual(selectStages(c, { only: "random" }), ["random"]);
  assert.throws(() => selectStages(c, { only: "nope" }), /unknown stage "nope"/);
  assert.throws(() => selectStages(c, { only: "tags", from: "tags" }), /either --only or --from/);
});

test("shards come from the flag or Cloud Run's task variables and split items by hash", () => {
  assert.deepEqual(parseShard("2/4", {}), { index: 2, count: 4 });
  assert.deepEqual(parseShard(undefined, { CLOUD_RUN_TASK_INDEX: "3", CLOUD_RUN_TASK_COUNT: "5" }), { index: 3, count: 5 });
  assert.deepEqual(parseShard(undefined, {}), { index: 0, count: 1 });
  assert.throws(() => parseShard("4/4", {}), /0 ≤ i < N/);
  assert.throws(() => parseShard("x", {}), /i\/N/);
  const counts = [0, 0, 0];
  for (let i = 0; i < 3000; i++) counts[shardOf(((i * 2654435761) >>> 0).toString(16).padStart(8, "0") + "00", 3)]!++;
  assert.ok(counts.every((c) => c > 800), counts.join());
});
