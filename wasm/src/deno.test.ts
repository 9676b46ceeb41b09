// The same module and wrapper under Deno: spawns `deno run` on cross-runtime-check.ts and expects the
// hits Node computes for the same seeded data, and agreement with the reference inside Deno.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { ensureWasmBuilt } from "./build-for-tests.ts";
import { crossRuntimeCases } from "./cross-runtime-check.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));

test("Deno loads vector.wasm and returns exactly what Node returns", async () => {
  ensureWasmBuilt();
  const res = spawnSync(`${repo}/node_modules/.bin/deno`, ["run", "-A", "--no-check", "wasm/src/cross-runtime-check.ts"], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    timeout: 60_000,
  });
  assert.equal(res.status, 0, `deno failed:\n${res.stdout}\n${res.stderr}`);
  const fromDeno = JSON.parse(res.stdout.trim().split("\n").at(-1)!);
  assert.equal(fromDeno.runtime, "deno");
  assert.equal(fromDeno.agree, true, "WASM and reference agree under Deno");
  const fromNode = await crossRuntimeCases();
  assert.equal(fromNode.agree, true);
  assert.deepEqual(fromDeno.cases, fromNode.cases);
});
