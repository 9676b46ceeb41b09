// A set of rows as a bitmap (bit r%32 of word r>>>5), the form the kernel filters with. Build one once for
// a filter that many queries share (tag, price, seen-by-user) instead of passing big arrays per query.
import { checkRow } from "./query.ts";
import { VectorInputError } from "./errors.ts";

export class RowBitmap implements Iterable<number> {
  readonly words: Uint32Array;

  constructor(readonly count: number) {
    if (!Number.isInteger(count) || count < 0) throw new VectorInputError(`RowBitmap count must be a non-negative integer, got ${count}`);
    this.words = new Uint32Array(Math.ceil(count / 32));
  }

  static from(rows: Iterable<number>, count: number, what = "rows"): RowBitmap {
    const map = new RowBitmap(count);
    map.addAll(rows, what);
    return map;
  }

  add(row: number, what = "rows"): this {
    checkRow(row, this.count, what);
    this.words[row >>> 5] = this.words[row >>> 5]! | (1 << (row & 31));
    return this;
  }

  addAll(rows: Iterable<number>, what = "rows"): this {
    if (rows === null || typeof (rows as Iterable<number>)[Symbol.iterator] !== "function") throw new VectorInputError(`${what} must be an iterable of row numbers or a RowBitmap`);
    for (const r of rows) this.add(r, what);
    return this;
  }

  has(row: number): boolean {
    return row >= 0 && row < this.count && ((this.words[row >>> 5]! >>> (row & 31)) & 1) === 1;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let w = 0; w < this.words.length; w++) {
      for (let bits = this.words[w]!; bits !== 0; bits &= bits - 1) yield (w << 5) + (31 - Math.clz32(bits & -bits));
    }
  }

  /** Number of rows in the set. */
  get size(): number {
    let n = 0;
    for (let w of this.words) for (; w !== 0; w &= w - 1) n++;
    return n;
  }
}

/**
 * A query's row filter (any iterable of rows, or a prebuilt RowBitmap) as a bitmap over `count` rows.
 * `mutable` copies a caller's RowBitmap before the index adds rows to it.
 */
export function filterBitmap(rows: Iterable<number> | undefined | null, count: number, what: string, mutable = false): RowBitmap | undefined {
  if (rows === undefined || rows === null) return undefined;
  if (rows instanceof RowBitmap) {
    if (rows.count !== count) throw new VectorInputError(`${what}: RowBitmap is for ${rows.count} rows, index has ${count}`);
    if (!mutable) return rows;
    const copy = new RowBitmap(count);
    copy.words.set(rows.words);
    return copy;
  }
  return RowBitmap.from(rows, count, what);
}
