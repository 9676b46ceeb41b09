// TypeScript strict mode holds across every part (common, batch, edge, wasm wrapper, site, tests).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

test("tsc --noEmit over the whole repository reports no errors", () => {
  const r = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
