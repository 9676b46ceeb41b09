// Builds wasm/assembly → wasm/build/vector.wasm (+ .wat for reading) with the AssemblyScript compiler API.
// Plain Node ESM so `npm run build:wasm` needs no TypeScript loader. Fails if the module has any import:
// the same bytes must instantiate with `{}` on Node, Deno and workerd.
import asc from "assemblyscript/asc";
import { mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "build");
const out = join(outDir, "vector.wasm");
mkdirSync(outDir, { recursive: true });

// Write to temp names then rename, so concurrent builds (parallel test files) never see a half file.
const tmp = `${out}.${process.pid}.tmp`;
const tmpWat = join(outDir, `vector.wat.${process.pid}.tmp`);
const { error, stderr } = await asc.main([
  join(here, "assembly", "index.ts"),
  "-O3",
  "--runtime", "stub",
  "--use", "abort=",
  "--enable", "simd",
  "--noAssert",
  "--outFile", tmp,
  "--textFile", tmpWat,
]);
if (error) {
  console.error(stderr.toString());
  console.error(`wasm build failed: ${error.message}`);
  process.exit(1);
}

const bytes = readFileSync(tmp);
const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
if (imports.length > 0) {
  console.error(`wasm build failed: vector.wasm must be import-free, found ${JSON.stringify(imports)}`);
  process.exit(1);
}
renameSync(tmp, out);
renameSync(tmpWat, join(outDir, "vector.wat"));
console.log(`built ${out} (${bytes.byteLength} bytes, 0 imports)`);
