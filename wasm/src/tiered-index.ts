// The two-tier index at query time: IVF + RaBitQ codes in WASM memory pick candidates, the int8 rerank
// tier (in memory or read by ranges from a bucket) scores them exactly. Layout: docs/vector-index.md.
import { VectorCoreError, VectorInputError } from "./errors.ts";
import { coreInternals, type CoreInternals, type Hit, type RowFilter, type VectorCore } from "./index.ts";
import { checkK, checkLambda, checkRow } from "./query.ts";
import { memoryRerank, rangeRerank, type RangeReader, type RerankSource } from "./rerank-source.ts";
import { rotate } from "./rotation.ts";
import { diversify, type DiversityOptions } from "./diversity.ts";
import { clusterInterests } from "./interests.ts";
import { filterBitmap, RowBitmap } from "./row-bitmap.ts";
import { FACTOR_FLOATS, IndexFormatError, RERANK_FILE, TIER_FILE, TIER_HEADER_BYTES, TierChecksum, parseTierHeader } from "./tiered-format.ts";


export interface TieredSearchOptions {
  exclude?: RowFilter;
  allow?: RowFilter;
  /** Partitions scanned (default: the index's default, see LoadTieredOptions). More → higher recall. */
  nprobe?: number;
  /** Candidates reranked exactly (default 200, at least k). */
  candidates?: number;
  /** At most N hits per artist and/or MMR (applied to an over-fetched, exactly scored candidate list). */
  diversity?: DiversityOptions;
}

export interface TieredExampleOptions extends TieredSearchOptions {
  /** Weight of the disliked mean, ≥ 0 (default 0.5). */
  lambda?: number;
}

export interface InterestOptions extends TieredExampleOptions {
  /** Most interests (clusters of likes) searched separately, default 3. */
  maxInterests?: number;
  /** Likes whose cosine to a cluster mean is at least this join it, default 0.5. */
  joinCosine?: number;
}

export interface InterestHit extends Hit {
  /** Which interest (cluster of liked rows) produced the hit. */
  interest: number;
}

export interface TieredIndex {
  readonly count: number;
  readonly dim: number;
  readonly nlist: number;
  /** Bytes held in WASM memory by the compact tier. */
  readonly residentBytes: number;
  /** Bytes of the rerank tier held in memory (0 when read from a bucket). */
  readonly rerankResidentBytes: number;
  search(query: Float32Array, k: number, opts?: TieredSearchOptions): Promise<Hit[]>;
  /** mean(liked) − λ·mean(disliked) as one query; example rows are excluded. */
  searchByExamples(liked: number[], disliked: number[], k: number, opts?: TieredExampleOptions): Promise<Hit[]>;
  /** PinnerSage-like: likes are clustered, each cluster searched (minus λ·dislikes), results interleaved by cluster size. */
  searchByInterests(liked: number[], disliked: number[], k: number, opts?: InterestOptions): Promise<InterestHit[]>;
  /** Exact int8 cosines of the listed rows (rerank tier). */
  score(query: Float32Array, rows: readonly number[]): Promise<number[]>;
  /** The raw candidate stage (for tests and tuning): positions' rows and estimated cosines, best first. */
  candidates(query: Float32Array, n: number, opts?: TieredSearchOptions): Array<{ row: number; estimate: number }>;
  dispose(): void;
}

export interface LoadTieredOptions {
  /** Default partitions per query (default: max(8, ceil(nlist / 32))). */
  nprobe?: number;
  /** Default candidates reranked (default 200). */
  candidates?: number;
  /** Skip the checksum (e.g. when the manifest's sha256 was verified already). Default true = verify. */
  verifyChecksum?: boolean;
  /** Range reads: merge rows closer than this many rows into one request (default 8). */
  gapRows?: number;
}

/** Files by name: each as bytes in memory or as a RangeReader (e.g. bucketRangeReader(bucket, key, size)). */
export interface TieredSource {
  [TIER_FILE]: Uint8Array | RangeReader;
  [RERANK_FILE]: Uint8Array | RangeReader;
}

/** Bytes per range request when streaming the compact tier into WASM memory. */
const TIER_CHUNK = 4 * 2 ** 20;

async function copyTierIntoWasm(internals: CoreInternals, src: Uint8Array | RangeReader | undefined, verify: boolean) {
  const isReader = !!src && !(src instanceof Uint8Array) && typeof (src as RangeReader).read === "function";
  if (!(src instanceof Uint8Array) && !isReader) throw new VectorInputError(`${TIER_FILE} must be a Uint8Array or a RangeReader`);
  const read = src instanceof Uint8Array
    ? async (offset: number, length: number) => src.subarray(offset, offset + length)
    : async (offset: number, length: number) => {
      const got = await (src as RangeReader).read(offset, length);
      if (got.byteLength !== length) throw new IndexFormatError(`${TIER_FILE}: short read at ${offset} (${got.byteLength} of ${length} bytes; truncated?)`);
      return got;
    };
  const total = src instanceof Uint8Array ? src.byteLength : (src as RangeReader).size;
  const head = src instanceof Uint8Array ? src : await read(0, Math.min(TIER_HEADER_BYTES, total ?? TIER_HEADER_BYTES));
  const { header, layout } = parseTierHeader(head, total);
  const sum = new TierChecksum();
  const pre = await read(TIER_HEADER_BYTES, layout.centroids - TIER_HEADER_BYTES);
  if (verify) sum.update(pre);
  const signs = new Int8Array(pre.buffer, pre.byteOffset + layout.signs - TIER_HEADER_BYTES, header.rounds * header.dimPad).slice();
  const bytes = layout.end - layout.centroids;
  const ptr = internals.arena.alloc(bytes);
  try {
    for (let off = layout.centroids; off < layout.end; off += TIER_CHUNK) {
      const len = Math.min(TIER_CHUNK, layout.end - off);
      const piece = await read(off, len);
      if (verify) sum.update(piece);
      new Uint8Array(internals.wasm.memory.buffer, ptr + off - layout.centroids, len).set(piece);
    }
    if (verify && sum.value !== header.checksum) throw new IndexFormatError(`${TIER_FILE}: checksum mismatch (corrupt file)`);
  } catch (err) {
    internals.arena.release(ptr, bytes);
    throw err;
  }
  return { header, layout, ptr, signs };
}

const EST_SCALE = 4194304; // must match wasm/assembly/rabitq.ts

export async function loadTieredIndex(core: VectorCore, files: TieredSource, opts: LoadTieredOptions = {}): Promise<TieredIndex> {
  const internals = coreInternals(core);
  const tierSrc = files?.[TIER_FILE];
  const verify = opts.verifyChecksum ?? true;
  const src = files?.[RERANK_FILE];
  let rerank: RerankSource;
  if (src instanceof Uint8Array) rerank = memoryRerank(src, verify);
  else if (src && typeof (src as RangeReader).read === "function") rerank = await rangeRerank(src as RangeReader, opts.gapRows);
  else throw new VectorInputError(`${RERANK_FILE} must be a Uint8Array or a RangeReader`);
  // The compact tier goes straight into WASM memory: from a whole file, or streamed by ranges so a Worker
  // never holds the file and its WASM copy at once (82 MB each at 1M works).
  const { header, layout, ptr, signs } = await copyTierIntoWasm(internals, tierSrc, verify);
  const bytes = layout.end - layout.centroids;
  try {
    if (rerank.header.count !== header.count || rerank.header.dim !== header.dim) {
      throw new IndexFormatError(`${RERANK_FILE} is ${rerank.header.count} × ${rerank.header.dim}, ${TIER_FILE} is ${header.count} × ${header.dim} (files from different builds?)`);
    }
  } catch (err) {
    internals.arena.release(ptr, bytes);
    throw err;
  }
  const at = (section: number) => ptr + section - layout.centroids;
  const { count, nlist, dimPad } = header;
  let offsets: Uint32Array, centroidNorms: Float64Array;
  try {
    const buf = internals.wasm.memory.buffer;
    offsets = new Uint32Array(buf, at(layout.offsets), nlist + 1).slice();
    if (offsets[0] !== 0 || offsets[nlist] !== count) throw new IndexFormatError(`${TIER_FILE}: partition offsets do not cover ${count} rows`);
    for (let c = 0; c < nlist; c++) if (offsets[c + 1]! < offsets[c]!) throw new IndexFormatError(`${TIER_FILE}: partition offsets decrease at ${c}`);
    const perm = new Uint32Array(buf, at(layout.perm), count);
    const seen = new Uint8Array(count);
    for (let p = 0; p < count; p++) {
      const r = perm[p]!;
      if (r >= count || seen[r]) throw new IndexFormatError(`${TIER_FILE}: row map is not a permutation (position ${p})`);
      seen[r] = 1;
    }
    for (const s of signs) if (s !== 1 && s !== -1) throw new IndexFormatError(`${TIER_FILE}: rotation signs must be ±1`);
    const floats = new Float32Array(buf, at(layout.centroids), nlist * dimPad);
    const factors = new Float32Array(buf, at(layout.factors), count * FACTOR_FLOATS);
    for (const arr of [floats, factors]) for (let i = 0; i < arr.length; i++) if (!Number.isFinite(arr[i]!)) throw new IndexFormatError(`${TIER_FILE}: non-finite value`);
    centroidNorms = new Float64Array(nlist);
    for (let c = 0; c < nlist; c++) {
      let s = 0;
      for (let i = 0; i < dimPad; i++) s += floats[c * dimPad + i]! ** 2;
      centroidNorms[c] = Math.sqrt(s) || 1;
    }
  } catch (err) {
    internals.arena.release(ptr, bytes);
    throw err;
  }
  return new Tiered(internals, header, {
    block: ptr, blockBytes: bytes, centroids: at(layout.centroids), perm: at(layout.perm), factors: at(layout.factors), codes: at(layout.codes),
  }, offsets, signs, centroidNorms, rerank, {
    nprobe: opts.nprobe ?? Math.max(8, Math.ceil(nlist / 32)), candidates: opts.candidates ?? 200,
  });
}

interface Pointers { block: number; blockBytes: number; centroids: number; perm: number; factors: number; codes: number }

class Tiered implements TieredIndex {
  private disposed = false;
  readonly count: number;
  readonly dim: number;
  readonly nlist: number;
  private readonly dimPad: number;
  private readonly codeBytes: number;
  private permView: () => Uint32Array;

  constructor(
    private readonly core: CoreInternals, header: { count: number; dim: number; nlist: number; dimPad: number; codeBytes: number },
    private readonly p: Pointers, private readonly offsets: Uint32Array, private readonly signs: Int8Array,
    private readonly centroidNorms: Float64Array, private readonly rerank: RerankSource,
    private readonly defaults: { nprobe: number; candidates: number },
  ) {
    this.count = header.count;
    this.dim = header.dim;
    this.nlist = header.nlist;
    this.dimPad = header.dimPad;
    this.codeBytes = header.codeBytes;
    this.permView = () => new Uint32Array(this.core.wasm.memory.buffer, this.p.perm, this.count);
  }

  get residentBytes(): number { return this.p.blockBytes; }
  get rerankResidentBytes(): number { return this.rerank.residentBytes; }

  async search(query: Float32Array, k: number, opts: TieredSearchOptions = {}): Promise<Hit[]> {
    this.alive();
    checkK(k);
    const unit = unitQuery(query, this.dim);
    return this.searchUnit(unit, k, opts, undefined);
  }

  candidates(query: Float32Array, n: number, opts: TieredSearchOptions = {}): Array<{ row: number; estimate: number }> {
    this.alive();
    if (!Number.isInteger(n) || n < 0 || n > 100_000) throw new VectorInputError(`n must be an integer in [0, 100000], got ${n}`);
    const unit = unitQuery(query, this.dim);
    const { rows, est } = this.candidateStage(unit, n, opts.nprobe ?? this.defaults.nprobe, this.bitmap(opts.exclude, "exclude"), this.bitmap(opts.allow, "allow"));
    return Array.from(rows, (row, i) => ({ row, estimate: est[i]! }));
  }

  async searchByExamples(liked: number[], disliked: number[], k: number, opts: TieredExampleOptions = {}): Promise<Hit[]> {
    this.alive();
    const { lambda, all } = this.checkExamples(liked, disliked, k, opts);
    const vec = await this.rerank.rows(all);
    const direction = meanDirection(liked.map((r) => vec.get(r)!), disliked.map((r) => vec.get(r)!), lambda, this.dim);
    const exclude = this.bitmap(opts.exclude, "exclude", true) ?? new RowBitmap(this.count);
    exclude.addAll(all);
    return this.searchUnit(unitQuery(direction, this.dim), k, { ...opts, exclude }, exclude);
  }

  async searchByInterests(liked: number[], disliked: number[], k: number, opts: InterestOptions = {}): Promise<InterestHit[]> {
    this.alive();
    const { lambda, all } = this.checkExamples(liked, disliked, k, opts);
    if (liked.length === 0) return (await this.searchByExamples(liked, disliked, k, opts)).map((h) => ({ ...h, interest: 0 }));
    const vec = await this.rerank.rows(all);
    const groups = clusterInterests(liked.map((r) => vec.get(r)!), this.dim, opts.maxInterests ?? 3, opts.joinCosine ?? 0.5);
    const dislikedVecs = disliked.map((r) => vec.get(r)!);
    const exclude = this.bitmap(opts.exclude, "exclude", true) ?? new RowBitmap(this.count);
    exclude.addAll(all);
    // Each interest gets a share of the page proportional to its number of likes (at least one slot).
    const lists = await Promise.all(groups.map((g) => {
      const direction = meanDirection(g.map((i) => vec.get(liked[i]!)!), dislikedVecs, lambda, this.dim);
      return this.searchUnit(unitQuery(direction, this.dim), k, { ...opts, exclude, diversity: undefined }, exclude);
    }));
    const quota = groups.map((g) => Math.max(1, Math.round((k * g.length) / liked.length)));
    const out: InterestHit[] = [];
    const taken = new Set<number>();
    const cursor = lists.map(() => 0);
    const used = lists.map(() => 0);
    while (out.length < k) {
      let progressed = false;
      for (let i = 0; i < lists.length && out.length < k; i++) {
        if (used[i]! >= quota[i]! && lists.some((l, j) => j !== i && used[j]! < quota[j]! && cursor[j]! < l.length)) continue;
        const list = lists[i]!;
        while (cursor[i]! < list.length && taken.has(list[cursor[i]!]!.row)) cursor[i]!++;
        if (cursor[i]! >= list.length) continue;
        const hit = list[cursor[i]!++]!;
        taken.add(hit.row);
        used[i]!++;
        out.push({ ...hit, interest: i });
        progressed = true;
      }
      if (!progressed) break;
    }
    if (opts.diversity) return diversifyInterest(out, opts.diversity, k, await this.rerank.rows(out.map((h) => h.row)));
    return out;
  }

  async score(query: Float32Array, rows: readonly number[]): Promise<number[]> {
    this.alive();
    if (!Array.isArray(rows)) throw new VectorInputError("rows must be an array of row numbers");
    for (const r of rows) checkRow(r, this.count, "rows");
    const q = unitQuery(query, this.dim);
    const vec = await this.rerank.rows([...new Set(rows)]);
    return rows.map((r) => cosine(vec.get(r)!, q));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.core.arena.release(this.p.block, this.p.blockBytes);
  }

  // ---- internals ----

  private async searchUnit(unit: Float64Array, k: number, opts: TieredSearchOptions, excludeMap: RowBitmap | undefined): Promise<Hit[]> {
    if (k === 0 || this.count === 0) return [];
    const div = opts.diversity;
    const want = div ? Math.min(MAX_OVERFETCH, k * (div.overfetch ?? 4)) : k;
    let nCand = opts.candidates ?? this.defaults.candidates;
    if (!Number.isInteger(nCand) || nCand < 1 || nCand > 100_000) throw new VectorInputError(`candidates must be an integer in [1, 100000], got ${nCand}`);
    nCand = Math.max(nCand, want);
    const nprobe = opts.nprobe ?? this.defaults.nprobe;
    const exclude = excludeMap ?? this.bitmap(opts.exclude, "exclude");
    const { rows } = this.candidateStage(unit, nCand, nprobe, exclude, this.bitmap(opts.allow, "allow"));
    const dots = await this.rerank.dots(rows, unit);
    const scored = Array.from(rows, (row, i) => ({ row, score: clamp1(dots[i]!) }));
    scored.sort((a, b) => b.score - a.score || a.row - b.row);
    const hits = scored.slice(0, want);
    if (!div) return hits;
    const vec = div.mmrLambda === undefined ? undefined : await this.rerank.rows(hits.map((h) => h.row));
    return diversify(hits, k, div, vec && ((r) => vec.get(r)!));
  }

  /** Sync part of a query: probe partitions, scan codes, return the best `n` positions' rows by estimate. */
  private candidateStage(unit: Float64Array, n: number, nprobe: number, exclude?: RowBitmap, allow?: RowBitmap): { rows: Uint32Array; est: Float64Array } {
    if (!Number.isInteger(nprobe) || nprobe < 1) throw new VectorInputError(`nprobe must be a positive integer, got ${nprobe}`);
    const { dimPad, nlist, codeBytes, count } = this;
    const words = Math.ceil(count / 32);
    const a16 = (b: number) => Math.ceil(b / 16) * 16;
    // Scratch: rotQ f32[dimPad] | centroidDots f32[nlist] | planes u8[4·codeBytes] | consts f32[4] | seen u32[4] | exclude | allow | pos u32[n] | scores i32[n]
    const sizes = [dimPad * 4, a16(nlist * 4), codeBytes * 4, 16, 16, a16(words * 4), a16(words * 4), a16(n * 4), a16(n * 4)];
    const base = this.core.scratch(sizes.reduce((s, x) => s + x, 0));
    const ptrs: number[] = [];
    let at = base;
    for (const s of sizes) { ptrs.push(at); at += s; }
    const [qPtr, cdPtr, planesPtr, constsPtr, seenPtr, exPtr, alPtr, posPtr, scPtr] = ptrs as [number, number, number, number, number, number, number, number, number];
    const wasm = this.core.wasm;
    const buf = wasm.memory.buffer;
    const rotQ = new Float32Array(buf, qPtr, dimPad);
    rotate(unit, this.signs, dimPad, rotQ);
    if (exclude) new Uint32Array(buf, exPtr, words).set(exclude.words);
    if (allow) new Uint32Array(buf, alPtr, words).set(allow.words);
    wasm.dotRowsF32(qPtr, this.p.centroids, nlist, dimPad, cdPtr);
    const cd = new Float32Array(buf, cdPtr, nlist);
    // Partitions by cosine to their (normalised) mean, best first.
    const order = Array.from({ length: nlist }, (_, c) => c);
    const cos = Float64Array.from(cd, (d, c) => d / this.centroidNorms[c]!);
    order.sort((x, y) => cos[y]! - cos[x]! || x - y);
    new Uint32Array(buf, seenPtr, 1)[0] = 0;
    let size = 0;
    let probed = 0;
    // Probe nprobe partitions; with filters keep probing until n eligible candidates were found.
    while (probed < nlist && (probed < nprobe || size < n)) {
      const c = order[probed++]!;
      const start = this.offsets[c]!, end = this.offsets[c + 1]!;
      if (start === end) continue;
      wasm.prepareQuery(qPtr, this.p.centroids + c * dimPad * 4, dimPad, planesPtr, constsPtr);
      size = wasm.scanPartition(this.p.codes, this.p.factors, this.p.perm, codeBytes, start, end, planesPtr, constsPtr, cd[c]!, n, size,
        exclude ? exPtr : 0, allow ? alPtr : 0, posPtr, scPtr, seenPtr);
      if (!exclude && !allow && probed >= nprobe) break;
    }
    wasm.heapSortBestFirst(posPtr, scPtr, size);
    const pos = new Uint32Array(buf, posPtr, size);
    const sc = new Int32Array(buf, scPtr, size);
    const perm = this.permView();
    const rows = new Uint32Array(size);
    const est = new Float64Array(size);
    for (let i = 0; i < size; i++) { rows[i] = perm[pos[i]!]!; est[i] = sc[i]! / EST_SCALE; }
    return { rows, est };
  }

  private checkExamples(liked: number[], disliked: number[], k: number, opts: TieredExampleOptions): { lambda: number; all: number[] } {
    if (!Array.isArray(liked) || !Array.isArray(disliked)) throw new VectorInputError("liked and disliked must be arrays of row numbers");
    if (liked.length + disliked.length === 0) throw new VectorInputError("needs at least one liked or disliked row");
    const lambda = opts.lambda ?? 0.5;
    checkLambda(lambda);
    checkK(k);
    for (const r of liked) checkRow(r, this.count, "liked");
    for (const r of disliked) checkRow(r, this.count, "disliked");
    return { lambda, all: [...new Set([...liked, ...disliked])] };
  }

  private bitmap(rows: RowFilter | undefined, what: string, mutable = false): RowBitmap | undefined {
    return filterBitmap(rows, this.count, what, mutable);
  }

  private alive(): void {
    if (this.disposed) throw new VectorCoreError("vector index was disposed");
  }
}

const MAX_OVERFETCH = 1000;

function diversifyInterest(hits: InterestHit[], div: DiversityOptions, k: number, vec: Map<number, Float32Array>): InterestHit[] {
  const byRow = new Map(hits.map((h) => [h.row, h.interest]));
  return diversify(hits, k, div, (r) => vec.get(r)!).map((h) => ({ ...h, interest: byRow.get(h.row)! }));
}

/** Normalised float64 copy; rejects wrong length, non-finite values and the zero vector. */
export function unitQuery(query: ArrayLike<number>, dim: number): Float64Array {
  if (!(query instanceof Float32Array) && !(query instanceof Float64Array)) throw new VectorInputError("query must be a Float32Array");
  if (query.length !== dim) throw new VectorInputError(`query has ${query.length} dims, index has ${dim}`);
  let s = 0;
  for (let i = 0; i < dim; i++) {
    const v = query[i]!;
    if (!Number.isFinite(v)) throw new VectorInputError(`query[${i}] is not a finite number`);
    s += v * v;
  }
  if (s === 0) throw new VectorInputError("query has zero length (no direction to search in)");
  const f = 1 / Math.sqrt(s);
  return Float64Array.from({ length: dim }, (_, i) => query[i]! * f);
}

function clamp1(s: number): number {
  return s > 1 ? 1 : s < -1 ? -1 : s;
}

/** Rerank score: the stored (unit) row · the unit query, clamped to [-1, 1]. */
function cosine(row: Float32Array, unit: Float64Array): number {
  let s = 0;
  for (let i = 0; i < row.length; i++) s += row[i]! * unit[i]!;
  return s > 1 ? 1 : s < -1 ? -1 : s;
}

/** mean(liked) − λ·mean(disliked) (as query.ts exampleDirection). */
function meanDirection(liked: Float32Array[], disliked: Float32Array[], lambda: number, dim: number): Float64Array {
  const out = new Float64Array(dim);
  for (const v of liked) for (let d = 0; d < dim; d++) out[d] = out[d]! + (v[d]! / liked.length);
  for (const v of disliked) for (let d = 0; d < dim; d++) out[d] = out[d]! - ((lambda * v[d]!) / disliked.length);
  return out;
}
