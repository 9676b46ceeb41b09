// Builds what serving and tests need, skipping anything already up to date:
// the WASM vector core (AssemblyScript) and the Qwik site (client + SSR bundles).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const e of readdirSync(path)) {
    if (e === "node_modules") continue;
    newest = Math.max(newest, newestMtime(join(path, e)));
  }
  return newest;
}

function stale(outputs: string[], inputs: string[]): boolean {
  if (process.env.FORCE_BUILD) return true;
  const out = Math.min(...outputs.map((o) => (existsSync(o) ? statSync(o).mtimeMs : 0)));
  return out === 0 || inputs.some((i) => newestMtime(i) > out);
}

function run(script: string): void {
  console.log(JSON.stringify({ level: "info", msg: "build", step: script }));
  const r = spawnSync("npm", ["run", "--silent", script], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (stale(["wasm/build/vector.wasm"], ["wasm/assembly", "wasm/build.mjs"])) run("build:wasm");
if (existsSync("site/vite.config.ts") && stale(["site/server/entry.fetch.js", "site/dist"], ["site/src", "site/vite.config.ts", "site/public", "common"])) run("build:site");
