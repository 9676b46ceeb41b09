// A first-fit allocator over WASM linear memory (the stub runtime has none we could free from).
// Blocks are 64-byte aligned; freed blocks coalesce; memory only grows, but freed space is reused.
import { VectorCoreError } from "./errors.ts";

const ALIGN = 64;
/** wasm32 addresses are u32; stay one page short of 4 GiB so every end offset fits. */
const MAX_END = 2 ** 32 - 65536;

interface Block { start: number; end: number }

export class Arena {
  private free: Block[] = [];
  private top: number;

  constructor(base: number, private readonly grow: (end: number) => boolean) {
    // Never hand out offset 0: the kernels read pointer 0 as "no bitmap".
    this.top = roundUp(Math.max(base, ALIGN));
  }

  /** Returns the start of a fresh block of at least `bytes` (contents undefined). */
  alloc(bytes: number): number {
    const size = roundUp(Math.max(bytes, 1));
    const i = this.free.findIndex((b) => b.end - b.start >= size);
    if (i >= 0) {
      const block = this.free[i]!;
      const start = block.start;
      block.start += size;
      if (block.start === block.end) this.free.splice(i, 1);
      return start;
    }
    const start = this.top;
    const end = start + size;
    if (end > MAX_END) throw new VectorCoreError(`vector core: cannot allocate ${bytes} bytes (4 GiB address space exhausted)`);
    if (!this.grow(end)) throw new VectorCoreError(`vector core: the engine refused to grow WASM memory to ${end} bytes`);
    this.top = end;
    return start;
  }

  /** Returns a block from alloc(bytes) to the pool. */
  release(start: number, bytes: number): void {
    let block: Block = { start, end: start + roundUp(Math.max(bytes, 1)) };
    const kept: Block[] = [];
    for (const b of this.free) {
      if (b.end === block.start || b.start === block.end) block = { start: Math.min(b.start, block.start), end: Math.max(b.end, block.end) };
      else kept.push(b);
    }
    if (block.end === this.top) this.top = block.start;
    else kept.push(block);
    this.free = kept.sort((a, b) => a.start - b.start);
  }

  /** Bytes between the arena base and its highest live block (for stats). */
  get highWater(): number {
    return this.top;
  }
}

function roundUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
