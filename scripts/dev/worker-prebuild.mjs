// wrangler's [build] command: makes sure what the Worker bundle imports exists.
//  - wasm/build/vector.wasm (built by `npm run build:wasm` if missing)
//  - .wrangler/artsnob/site-entry.js: re-exports the site SSR handler if site/server/entry.fetch.js is built
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

if (!existsSync("wasm/build/vector.wasm")) {
  const r = spawnSync(process.execPath, ["wasm/build.mjs"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
mkdirSync(".wrangler/artsnob", { recursive: true });
const site = existsSync("site/server/entry.fetch.js");
const shim = site ? 'export { default } from "../../site/server/entry.fetch.js";\n' : "export default undefined;\n";
const shimPath = ".wrangler/artsnob/site-entry.js";
// Rewrite only on change: wrangler dev watches the bundle's inputs and would rebuild in a loop.
if (!existsSync(shimPath) || readFileSync(shimPath, "utf8") !== shim) writeFileSync(shimPath, shim);
// wrangler refuses a missing assets directory; an empty one just means "no static files yet".
mkdirSync("site/dist", { recursive: true });
