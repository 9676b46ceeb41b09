// The raw exports of vector.wasm (wasm/assembly/index.ts). Pointers and sizes are byte offsets into
// `memory`; all integers are u32 on the WASM side.
import { VectorCoreError } from "./errors.ts";

export const ABI_VERSION = 2;

export interface VectorExports {
  memory: WebAssembly.Memory;
  abiVersion(): number;
  heapBase(): number;
  memoryBytes(): number;
  ensureMemory(end: number): number;
  searchI8(
    vectors: number, count: number, stride: number, query16: number, k: number,
    exclude: number, allow: number, outRows: number, outScores: number,
  ): number;
  scoreRows(vectors: number, stride: number, query16: number, rows: number, n: number, outScores: number): void;
  // ABI 2: the compact tier (wasm/assembly/rabitq.ts)
  prepareQuery(rotQuery: number, rotCentroid: number, dimPad: number, planes: number, consts: number): void;
  scanPartition(
    codes: number, factors: number, perm: number, codeBytes: number, start: number, end: number,
    planes: number, consts: number, qc: number, k: number, size: number,
    exclude: number, allow: number, outPos: number, outScores: number, seen: number,
  ): number;
  dotRowsF32(query: number, rows: number, n: number, dimPad: number, out: number): void;
  heapSortBestFirst(rows: number, scores: number, size: number): void;
}

const FUNCTIONS = [
  "abiVersion", "heapBase", "memoryBytes", "ensureMemory", "searchI8", "scoreRows",
  "prepareQuery", "scanPartition", "dotRowsF32", "heapSortBestFirst",
] as const;

export function bindExports(instance: WebAssembly.Instance): VectorExports {
  const ex = instance.exports as Record<string, unknown>;
  if (!(ex.memory instanceof WebAssembly.Memory)) throw new VectorCoreError("vector.wasm: no exported memory");
  for (const name of FUNCTIONS) {
    if (typeof ex[name] !== "function") throw new VectorCoreError(`vector.wasm: missing export ${name}()`);
  }
  const exports = ex as unknown as VectorExports;
  const version = exports.abiVersion();
  if (version !== ABI_VERSION) throw new VectorCoreError(`vector.wasm: ABI ${version}, wrapper expects ${ABI_VERSION} (rebuild with npm run build:wasm)`);
  return exports;
}
