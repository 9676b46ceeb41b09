// The catalogue snapshot's storage: one column per field, indexed by an ordinal, instead of an object graph
// per work. At 100k+ works in one isolate (a Worker has 128 MB) object headers, per-row copies of the same
// strings and 64-character hash strings were most of the heap; here numbers are typed arrays, hashes are
// 32 bytes, repeated strings and identical size tables are shared. `get(id)` hands out a small view whose
// `row` is rebuilt on each read (a few hundred nanoseconds; pages read a few dozen).
import type { ArtworkSummary } from "../../common/api.ts";
import type { SnapshotRow } from "../repositories/artwork-snapshot.ts";
import { SHA256_HEX, standardVariants, toSummary } from "./views.ts";

export interface SnapshotWork {
  readonly id: number;
  /** The row as lists and filters read it: tags are in `tags`, standard image variants are derived. */
  readonly row: SnapshotRow;
  /** Built on each read (about a microsecond), not kept. */
  readonly summary: ArtworkSummary;
  summaryWith<E extends object>(extra: E): ArtworkSummary & E;
  /** The work this one is a duplicate listing of (null for a browsable work); read without building `row`. */
  readonly duplicateOf: number | null;
  /** Lower-cased artist ("" when unknown): the diversity key. */
  readonly artistKey: string;
  /** Normalised tags (lower case, trimmed, unique). */
  readonly tags: string[];
}

export const NONE = -1;
const NO_TAGS = Object.freeze([]) as unknown as string[];
const NO_VARIANTS = Object.freeze({}) as SnapshotRow["imageVariants"];
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** One instance per distinct value: the driver hands every row its own copy of "USD", a shop name, a tag. */
export class Interner {
  private readonly seen = new Map<string, string>();
  of<T extends string | null | undefined>(s: T): T {
    if (typeof s !== "string") return s;
    const hit = this.seen.get(s);
    if (hit !== undefined) return hit as T;
    this.seen.set(s, s);
    return s;
  }
}

/** What the table keeps of each row, besides the row's own columns. */
export interface WorkInput {
  row: SnapshotRow;
  artistKey: string;
  tags: string[];
}

export class WorkTable {
  private readonly byId: Int32Array | null;
  private readonly byIdMap: Map<number, number> | null;
  private readonly ids: Int32Array;
  private readonly title: string[];
  private readonly text: { shopId: string[]; shopName: string[]; artist: (string | null)[]; category: (string | null)[]; currency: (string | null)[]; orientation: (SnapshotRow["orientation"] | null)[] };
  private readonly minPrice: Float64Array;
  private readonly width: Int32Array;
  private readonly height: Int32Array;
  private readonly duplicateOf: Int32Array;
  /** 32 bytes per work; `odd` holds the hashes that are not 64 lower-case hex digits (or null). */
  private readonly hash: Uint8Array;
  private readonly odd = new Map<number, string | null>();
  private readonly variants = new Map<number, SnapshotRow["imageVariants"]>();
  private readonly sizes: SnapshotRow["sizes"][];
  private readonly artistKeys: string[];
  private readonly tagLists: string[][];

  constructor(works: WorkInput[]) {
    const n = works.length;
    const strings = new Interner();
    const sizeTables = new Map<string, SnapshotRow["sizes"]>();
    let maxId = 0;
    for (const w of works) maxId = Math.max(maxId, w.row.id);
    // Database ids are dense in practice: a direct table up to 4 entries per work, else a map.
    this.byId = maxId <= 4 * n + 1024 ? new Int32Array(maxId + 1).fill(NONE) : null;
    this.byIdMap = this.byId ? null : new Map();
    this.ids = new Int32Array(n);
    this.title = new Array(n);
    this.text = { shopId: new Array(n), shopName: new Array(n), artist: new Array(n), category: new Array(n), currency: new Array(n), orientation: new Array(n) };
    this.minPrice = new Float64Array(n);
    this.width = new Int32Array(n);
    this.height = new Int32Array(n);
    this.duplicateOf = new Int32Array(n);
    this.hash = new Uint8Array(n * 32);
    this.sizes = new Array(n);
    this.artistKeys = new Array(n);
    this.tagLists = new Array(n);
    works.forEach(({ row, artistKey, tags }, o) => {
      if (this.byId) this.byId[row.id] = o;
      else this.byIdMap!.set(row.id, o);
      this.ids[o] = row.id;
      this.title[o] = row.title;
      for (const k of ["shopId", "shopName", "artist", "category", "currency", "orientation"] as const) (this.text[k] as unknown[])[o] = strings.of(row[k] as string | null);
      this.minPrice[o] = row.minPriceCents ?? NaN;
      this.width[o] = row.imageWidth ?? NONE;
      this.height[o] = row.imageHeight ?? NONE;
      this.duplicateOf[o] = row.duplicateOf ?? NONE;
      if (row.imageHash && SHA256_HEX.test(row.imageHash)) for (let b = 0; b < 32; b++) this.hash[o * 32 + b] = parseInt(row.imageHash.slice(b * 2, b * 2 + 2), 16);
      else this.odd.set(o, row.imageHash ?? null);
      if (!standardVariants(row.imageHash, row.imageVariants)) this.variants.set(o, row.imageVariants);
      // Shops often sell every work in the same sizes at the same prices: one shared table each.
      const key = JSON.stringify(row.sizes ?? []);
      let table = sizeTables.get(key);
      if (!table) sizeTables.set(key, (table = row.sizes));
      this.sizes[o] = table;
      this.artistKeys[o] = strings.of(artistKey);
      this.tagLists[o] = tags.length ? tags.map((t) => strings.of(t)) : NO_TAGS;
    });
  }

  get size(): number {
    return this.ids.length;
  }

  ordinal(id: number): number {
    if (this.byId) return Number.isInteger(id) && id >= 0 && id < this.byId.length ? this.byId[id]! : NONE;
    return this.byIdMap!.get(id) ?? NONE;
  }

  has(id: number): boolean {
    return this.ordinal(id) !== NONE;
  }

  get(id: number): SnapshotWork | undefined {
    const o = this.ordinal(id);
    return o === NONE ? undefined : new WorkView(this, o);
  }

  *keys(): IterableIterator<number> {
    for (const id of this.ids) yield id;
  }

  /** The row of ordinal `o`, rebuilt. */
  row(o: number): SnapshotRow {
    const t = this.text;
    const price = this.minPrice[o]!;
    const dup = this.duplicateOf[o]!;
    return {
      id: this.ids[o]!,
      shopId: t.shopId[o]!,
      shopName: t.shopName[o]!,
      title: this.title[o]!,
      artist: t.artist[o] ?? null,
      tags: NO_TAGS,
      category: t.category[o] ?? null,
      sizes: this.sizes[o]!,
      currency: t.currency[o] ?? null,
      minPriceCents: Number.isNaN(price) ? null : price,
      orientation: t.orientation[o] ?? null,
      imageHash: this.odd.has(o) ? this.odd.get(o)! : this.hex(o),
      imageWidth: this.width[o] === NONE ? null : this.width[o]!,
      imageHeight: this.height[o] === NONE ? null : this.height[o]!,
      imageVariants: this.variants.get(o) ?? NO_VARIANTS,
      duplicateOf: dup === NONE ? null : dup,
    } as SnapshotRow;
  }

  idAt(o: number): number {
    return this.ids[o]!;
  }

  duplicateOfAt(o: number): number | null {
    const d = this.duplicateOf[o]!;
    return d === NONE ? null : d;
  }

  artistKey(o: number): string {
    return this.artistKeys[o]!;
  }

  tags(o: number): string[] {
    return this.tagLists[o]!;
  }

  private hex(o: number): string {
    let s = "";
    for (let b = o * 32; b < o * 32 + 32; b++) s += HEX_BYTE[this.hash[b]!]!;
    return s;
  }
}

class WorkView implements SnapshotWork {
  readonly id: number;
  constructor(
    private readonly table: WorkTable,
    private readonly o: number,
  ) {
    this.id = table.idAt(o);
  }

  get row(): SnapshotRow {
    return this.table.row(this.o);
  }

  get summary(): ArtworkSummary {
    return toSummary(this.table.row(this.o));
  }

  summaryWith<E extends object>(extra: E): ArtworkSummary & E {
    return Object.assign(toSummary(this.table.row(this.o)), extra);
  }

  get duplicateOf(): number | null {
    return this.table.duplicateOfAt(this.o);
  }

  get artistKey(): string {
    return this.table.artistKey(this.o);
  }

  get tags(): string[] {
    return this.table.tags(this.o);
  }
}
