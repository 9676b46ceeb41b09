// The two-tier index under Deno: same builder bytes, same hits as Node, and agreement with the reference.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { ensureWasmBuilt } from "./build-for-tests.ts";
import { tieredCrossRuntime } from "./tiered-cross-runtime-check.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));

test("Deno: tiered index builds the same bytes and returns exactly what Node returns", async () => {
  ensureWasmBuilt();
  const res = spawnSync(`${repo}/node_modules/.bin/deno`, ["run", "-A", "--no-check", "wasm/src/tiered-cross-runtime-check.ts"], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    timeout: 120_000,
  });
  assert.equal(res.status, 0, `deno failed:\n${res.stdout}\n${res.stderr}`);
  const fromDeno = JSON.parse(res.stdout.trim().split("\n").at(-1)!);
  assert.equal(fromDeno.runtime, "deno");
  assert.deepEqual(fromDeno.problems, [], "WASM and reference agree under Deno");
  const fromNode = await tieredCrossRuntime();
  assert.deepEqual(fromNode.problems, []);
  assert.deepEqual(fromDeno.tierBytes, fromNode.tierBytes);
  assert.deepEqual(fromDeno.results, fromNode.results);
});
