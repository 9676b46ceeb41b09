// Linear-memory management for the stub runtime: the kernels never allocate; the TypeScript wrapper
// owns the layout (an arena starting at heapBase()) and asks us to grow memory before using new bytes.

/** First byte the wrapper may use: after AssemblyScript's static data, 64-byte aligned (cache line). */
export function heapBase(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

/** Current size of linear memory in bytes. */
export function memoryBytes(): usize {
  return <usize>memory.size() << 16;
}

/** Grows memory so that bytes [0, end) exist. Returns 1 on success, 0 if the engine refused to grow. */
export function ensureMemory(end: usize): i32 {
  const have = memoryBytes();
  if (end <= have) return 1;
  const pages = <i32>((end - have + 0xffff) >>> 16);
  return memory.grow(pages) < 0 ? 0 : 1;
}
