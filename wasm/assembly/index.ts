// Entry point of vector.wasm: everything exported here is the ABI the wrapper (wasm/src/abi.ts) uses.
export { heapBase, memoryBytes, ensureMemory } from "./memory";
export { searchI8, scoreRows } from "./search";
export { prepareQuery, scanPartition, dotRowsF32 } from "./rabitq";
export { heapSortBestFirst } from "./topk";

/** ABI version: bump when an export's signature or meaning changes. */
export function abiVersion(): i32 {
  return 2;
}
