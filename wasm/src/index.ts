// Web-standard wrapper around vector.wasm: same code on Node, Deno and Cloudflare Workers (where the
// module arrives pre-compiled as a `.wasm` import, since Workers cannot compile bytes at run time).
import { I8_SCALE } from "../../common/artifacts/format.ts";
import { bindExports, type VectorExports } from "./abi.ts";
import { Arena } from "./arena.ts";
import { VectorCoreError, VectorInputError } from "./errors.ts";
import { checkK, checkLambda, checkRow, exampleDirection, normalizeAndQuantize, toQueryI8 } from "./query.ts";
import { filterBitmap, RowBitmap } from "./row-bitmap.ts";

export { VectorCoreError, VectorInputError } from "./errors.ts";
export { MAX_K } from "./query.ts";
export { RowBitmap } from "./row-bitmap.ts";

export interface Hit {
  /** Row number in the loaded matrix (the artifact's row order). */
  row: number;
  /** Cosine in [-1, 1]: int8 dot / 127². */
  score: number;
}

/** Row ids; a RowBitmap built once for this index's count is the cheapest form for big, reused filters. */
export type RowFilter = Iterable<number>;

export interface SearchOptions {
  /** Rows never returned (e.g. already seen). */
  exclude?: RowFilter;
  /** If given, only these rows can be returned (e.g. from tag/price filters). */
  allow?: RowFilter;
}

export interface ExampleSearchOptions extends SearchOptions {
  /** Weight of the disliked mean, ≥ 0 (default 0.5). */
  lambda?: number;
}

export interface VectorIndex {
  readonly count: number;
  readonly dim: number;
  /** Bytes this index holds in WASM memory. */
  readonly bytes: number;
  search(query: Float32Array | Int8Array, k: number, opts?: SearchOptions): Hit[];
  searchByExamples(liked: number[], disliked: number[], k: number, opts?: ExampleSearchOptions): Hit[];
  /** Cosine of the query with each listed row, in the given order (for reranking a candidate list). */
  score(query: Float32Array | Int8Array, rows: readonly number[]): number[];
  /** A copy of row r's int8 values (scale 127): safe to keep, unlike a view of WASM memory. */
  row(r: number): Int8Array;
  /** Frees the index's WASM memory; the object is unusable afterwards. */
  dispose(): void;
}

export interface VectorCore {
  /** Copies `count` × `dim` row-major int8 vectors (scale 127) into WASM memory once. */
  loadIndex(vectors: Int8Array, count: number, dim: number): VectorIndex;
  /** Current WASM linear memory size in bytes. */
  readonly memoryBytes: number;
}

export const DEFAULT_LAMBDA = 0.5;
/** Keeps every i32 dot product exact: 128·128·65536 < 2^31. */
export const MAX_DIM = 65536;
const SCALE_SQ = I8_SCALE * I8_SCALE;

export async function createVectorCore(module: WebAssembly.Module | BufferSource): Promise<VectorCore> {
  let instance: WebAssembly.Instance;
  if (module instanceof WebAssembly.Module) instance = await WebAssembly.instantiate(module, {});
  else instance = (await WebAssembly.instantiate(module, {})).instance;
  return new Core(bindExports(instance));
}

class Core implements VectorCore {
  readonly arena: Arena;
  private scratchPtr = 0;
  private scratchBytes = 0;

  constructor(readonly wasm: VectorExports) {
    this.arena = new Arena(wasm.heapBase(), (end) => wasm.ensureMemory(end) === 1);
  }

  get memoryBytes(): number {
    return this.wasm.memoryBytes();
  }

  loadIndex(vectors: Int8Array, count: number, dim: number): VectorIndex {
    if (!(vectors instanceof Int8Array)) throw new VectorInputError("vectors must be an Int8Array");
    if (!Number.isInteger(count) || count < 0 || count > 0xffffffff) throw new VectorInputError(`count must be a non-negative integer, got ${count}`);
    if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) throw new VectorInputError(`dim must be an integer in [1, ${MAX_DIM}], got ${dim}`);
    if (vectors.length !== count * dim) throw new VectorInputError(`vectors has ${vectors.length} values, expected count × dim = ${count * dim}`);
    // Rows are padded with zeros to a multiple of 16 so the kernel needs no scalar tail loop.
    const stride = Math.ceil(dim / 16) * 16;
    const bytes = count * stride;
    const ptr = this.arena.alloc(bytes);
    const mem = new Int8Array(this.wasm.memory.buffer, ptr, bytes);
    if (stride === dim) mem.set(vectors);
    else {
      mem.fill(0);
      for (let r = 0; r < count; r++) mem.set(vectors.subarray(r * dim, (r + 1) * dim), r * stride);
    }
    return new Index(this, ptr, count, dim, stride);
  }

  /** One reusable scratch block for per-query data; JS is single-threaded and search is synchronous. */
  scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratchBytes > 0) this.arena.release(this.scratchPtr, this.scratchBytes);
      this.scratchBytes = Math.max(bytes, this.scratchBytes * 2, 64 * 1024);
      this.scratchPtr = this.arena.alloc(this.scratchBytes);
    }
    return this.scratchPtr;
  }
}

class Index implements VectorIndex {
  private disposed = false;

  constructor(
    private readonly core: Core, private readonly ptr: number,
    readonly count: number, readonly dim: number, private readonly stride: number,
  ) {}

  get bytes(): number {
    return this.count * this.stride;
  }

  search(query: Float32Array | Int8Array, k: number, opts: SearchOptions = {}): Hit[] {
    this.alive();
    const q = toQueryI8(query, this.dim);
    checkK(k);
    return this.run(q, k, this.bitmap(opts.exclude, "exclude"), this.bitmap(opts.allow, "allow"));
  }

  searchByExamples(liked: number[], disliked: number[], k: number, opts: ExampleSearchOptions = {}): Hit[] {
    this.alive();
    if (!Array.isArray(liked) || !Array.isArray(disliked)) throw new VectorInputError("liked and disliked must be arrays of row numbers");
    if (liked.length + disliked.length === 0) throw new VectorInputError("searchByExamples needs at least one liked or disliked row");
    const lambda = opts.lambda ?? DEFAULT_LAMBDA;
    checkLambda(lambda);
    checkK(k);
    for (const r of liked) checkRow(r, this.count, "liked");
    for (const r of disliked) checkRow(r, this.count, "disliked");
    const direction = exampleDirection((r) => this.row(r), this.dim, liked, disliked, lambda);
    const q = normalizeAndQuantize(direction);
    const exclude = this.bitmap(opts.exclude, "exclude", true) ?? new RowBitmap(this.count);
    exclude.addAll(liked).addAll(disliked);
    return this.run(q, k, exclude, this.bitmap(opts.allow, "allow"));
  }

  score(query: Float32Array | Int8Array, rows: readonly number[]): number[] {
    this.alive();
    const q = toQueryI8(query, this.dim);
    if (!Array.isArray(rows)) throw new VectorInputError("rows must be an array of row numbers");
    for (const r of rows) checkRow(r, this.count, "rows");
    const n = rows.length;
    if (n === 0) return [];
    const qBytes = this.stride * 2;
    const listBytes = Math.ceil((n * 4) / 16) * 16;
    const base = this.core.scratch(qBytes + 2 * listBytes);
    const qPtr = base, rowsPtr = base + qBytes, scoresPtr = rowsPtr + listBytes;
    const buffer = this.core.wasm.memory.buffer;
    this.writeQuery(buffer, qPtr, q);
    new Uint32Array(buffer, rowsPtr, n).set(rows);
    this.core.wasm.scoreRows(this.ptr, this.stride, qPtr, rowsPtr, n, scoresPtr);
    return Array.from(new Int32Array(buffer, scoresPtr, n), dotToCosine);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.core.arena.release(this.ptr, this.bytes);
  }

  /** A copy of row r's int8 values (dim of them). */
  row(r: number): Int8Array {
    this.alive();
    checkRow(r, this.count, "row");
    return new Int8Array(this.core.wasm.memory.buffer, this.ptr + r * this.stride, this.dim).slice();
  }

  private run(q: Int8Array, k: number, exclude: RowBitmap | undefined, allow: RowBitmap | undefined): Hit[] {
    const kk = Math.min(k, this.count);
    if (kk === 0) return [];
    const { stride, count } = this;
    const words = Math.ceil(count / 32);
    // Scratch layout (16-byte aligned parts): query i16[stride] | exclude u32[words] | allow u32[words] | rows u32[k] | scores i32[k]
    const qBytes = stride * 2;
    const mapBytes = Math.ceil((words * 4) / 16) * 16;
    const kBytes = Math.ceil((kk * 4) / 16) * 16;
    const base = this.core.scratch(qBytes + 2 * mapBytes + 2 * kBytes);
    const qPtr = base, exPtr = qPtr + qBytes, alPtr = exPtr + mapBytes, rowsPtr = alPtr + mapBytes, scoresPtr = rowsPtr + kBytes;
    const buffer = this.core.wasm.memory.buffer; // after scratch(): memory may have grown
    this.writeQuery(buffer, qPtr, q);
    if (exclude) new Uint32Array(buffer, exPtr, words).set(exclude.words);
    if (allow) new Uint32Array(buffer, alPtr, words).set(allow.words);
    const n = this.core.wasm.searchI8(this.ptr, count, stride, qPtr, kk, exclude ? exPtr : 0, allow ? alPtr : 0, rowsPtr, scoresPtr);
    const rows = new Uint32Array(buffer, rowsPtr, n);
    const scores = new Int32Array(buffer, scoresPtr, n);
    const hits: Hit[] = new Array(n);
    for (let i = 0; i < n; i++) hits[i] = { row: rows[i]!, score: dotToCosine(scores[i]!) };
    return hits;
  }

  /** The query widened to i16 and zero-padded to the row stride (the kernel's query format). */
  private writeQuery(buffer: ArrayBuffer, ptr: number, q: Int8Array): void {
    const q16 = new Int16Array(buffer, ptr, this.stride);
    q16.set(q);
    q16.fill(0, this.dim);
  }

  /** Filter → bitmap over this index's rows; `mutable` copies a caller's RowBitmap before we add to it. */
  private bitmap(rows: RowFilter | undefined, what: string, mutable = false): RowBitmap | undefined {
    return filterBitmap(rows, this.count, what, mutable);
  }

  private alive(): void {
    if (this.disposed) throw new VectorCoreError("vector index was disposed");
  }
}

/** int8 dot of two scale-127 unit vectors → cosine; rounding can overshoot ±1 slightly, so clamp. */
export function dotToCosine(dot: number): number {
  const c = dot / SCALE_SQ;
  return c > 1 ? 1 : c < -1 ? -1 : c;
}

/** For the tiered index (tiered-index.ts): it shares the core's module, arena and per-query scratch. */
export interface CoreInternals {
  readonly wasm: VectorExports;
  readonly arena: Arena;
  scratch(bytes: number): number;
}

export function coreInternals(core: VectorCore): CoreInternals {
  if (!(core instanceof Core)) throw new VectorInputError("not a VectorCore from createVectorCore()");
  return core;
}
