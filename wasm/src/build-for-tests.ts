// Test helper (Node only): rebuilds vector.wasm when it is missing or older than its sources.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const wasmDir = fileURLToPath(new URL("..", import.meta.url));
export const WASM_PATH = fileURLToPath(new URL("../build/vector.wasm", import.meta.url));

function newestSource(): number {
  const dir = `${wasmDir}/assembly`;
  const times = readdirSync(dir).map((f) => statSync(`${dir}/${f}`).mtimeMs);
  return Math.max(statSync(`${wasmDir}/build.mjs`).mtimeMs, ...times);
}

export function ensureWasmBuilt(): string {
  if (existsSync(WASM_PATH) && statSync(WASM_PATH).mtimeMs >= newestSource()) return WASM_PATH;
  const res = spawnSync(process.execPath, [`${wasmDir}/build.mjs`], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`wasm build failed:\n${res.stdout}\n${res.stderr}`);
  return WASM_PATH;
}
