// Node/Deno loader: reads the built module from disk (node:fs works in both). Workers import the
// .wasm file as a module instead and call createVectorCore() directly.
import { readFile } from "node:fs/promises";
import { createVectorCore, VectorCoreError, type VectorCore } from "./index.ts";

/** Where `npm run build:wasm` writes the module. */
export const VECTOR_WASM_URL = new URL("../build/vector.wasm", import.meta.url);

export async function readVectorWasm(path: string | URL = VECTOR_WASM_URL): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await readFile(path)); // own ArrayBuffer: a valid BufferSource everywhere
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT") throw new VectorCoreError(`${String(path)} not found: run \`npm run build:wasm\``);
    throw err;
  }
}

/** Compiles once; pass the Module to createVectorCore for more instances (each has its own memory). */
export async function compileVectorWasm(path: string | URL = VECTOR_WASM_URL): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await readVectorWasm(path));
}

export async function loadVectorCore(path: string | URL = VECTOR_WASM_URL): Promise<VectorCore> {
  return createVectorCore(await compileVectorWasm(path));
}
