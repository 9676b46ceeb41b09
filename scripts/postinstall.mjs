// Runs after `npm install`/`npm ci`.
// The `deno` npm package links node_modules/.bin/deno to the ELF binary; inside `deno task`
// that link is resolved as a script and fails. Point it at the package's JS launcher instead.
import { existsSync, lstatSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";

const bin = join("node_modules", ".bin", "deno");
const launcher = join("node_modules", "deno", "bin.cjs");
if (existsSync(launcher)) {
  try {
    if (existsSync(bin) || lstatSync(bin, { throwIfNoEntry: false })) rmSync(bin, { force: true });
  } catch { /* no previous link */ }
  symlinkSync(join("..", "deno", "bin.cjs"), bin);
}
