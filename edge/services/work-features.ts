// Dense, per-work features for the ranker, built once per read model: vector row, cluster, artist and
// tag set as small integers in flat typed arrays. Ranking touches a few hundred candidates per request;
// reading them here costs one id lookup each, instead of several lookups in 100k-entry maps (each a
// likely cache miss) and string compares per candidate pair.
import type { CatalogSnapshot } from "./artwork-snapshot.ts";
import { NONE, type WorkTable } from "./work-table.ts";

export { NONE };

export interface WorkFeatureSource {
  snapshot: CatalogSnapshot;
  rowOf(id: number): number | undefined;
  clusterOf: Map<number, number>;
  idf(tag: string): number;
}

export class WorkFeatures {
  /** The snapshot's column store: its ordinals (every work it holds, duplicate listings too) are ours. */
  private readonly works: WorkTable;
  readonly row: Int32Array;
  readonly cluster: Int32Array;
  /** Artist code per ordinal; 0 is "unknown artist" (never capped by diversity). */
  readonly artist: Int32Array;
  /** Number of artist codes (0 included). */
  readonly artistCount: number;
  /** Tag codes of ordinal o: tagCodes[tagStart[o] … tagStart[o + 1]), ascending. */
  readonly tagStart: Int32Array;
  readonly tagCodes: Int32Array;
  /** Sum of the idf of a work's tags. */
  readonly tagMass: Float64Array;
  /** idf by tag code. */
  readonly idf: Float64Array;
  /** Per-ordinal scratch for synchronous callers, all NONE between uses (the ranker's candidate slots). */
  readonly scratch: Int32Array;

  constructor(source: WorkFeatureSource) {
    this.works = source.snapshot.works;
    const n = this.works.size;
    this.row = new Int32Array(n);
    this.cluster = new Int32Array(n);
    this.artist = new Int32Array(n);
    this.tagStart = new Int32Array(n + 1);
    this.tagMass = new Float64Array(n);
    const tagCode = new Map<string, number>();
    const idf: number[] = [];
    const artistCode = new Map<string, number>([["", 0]]);
    const codes: number[] = [];
    for (let o = 0; o < n; o++) {
      const id = this.works.idAt(o);
      const work = this.works.get(id)!;
      this.row[o] = source.rowOf(id) ?? NONE;
      this.cluster[o] = source.clusterOf.get(id) ?? NONE;
      let a = artistCode.get(work.artistKey);
      if (a === undefined) artistCode.set(work.artistKey, (a = artistCode.size));
      this.artist[o] = a;
      this.tagStart[o] = codes.length;
      const own: number[] = [];
      let mass = 0;
      for (const t of work.tags) {
        let c = tagCode.get(t);
        if (c === undefined) {
          tagCode.set(t, (c = idf.length));
          idf.push(source.idf(t));
        }
        own.push(c);
        mass += idf[c]!;
      }
      codes.push(...own.sort((x, y) => x - y));
      this.tagMass[o] = mass;
    }
    this.tagStart[n] = codes.length;
    this.artistCount = artistCode.size;
    this.scratch = new Int32Array(n).fill(NONE);
    this.tagCodes = Int32Array.from(codes);
    this.idf = Float64Array.from(idf);
  }

  /** Ordinal of a work in the snapshot, or NONE. */
  ordinal(id: number): number {
    return this.works.ordinal(id);
  }

  idAt(o: number): number {
    return this.works.idAt(o);
  }

  /** idf-weighted Jaccard of two works' tag sets (by ordinal). */
  tagOverlap(a: number, b: number): number {
    let i = this.tagStart[a]!;
    const iEnd = this.tagStart[a + 1]!;
    let j = this.tagStart[b]!;
    const jEnd = this.tagStart[b + 1]!;
    if (i === iEnd || j === jEnd) return 0;
    const codes = this.tagCodes;
    let inter = 0;
    while (i < iEnd && j < jEnd) {
      const x = codes[i]!;
      const y = codes[j]!;
      if (x === y) (inter += this.idf[x]!), i++, j++;
      else if (x < y) i++;
      else j++;
    }
    const union = this.tagMass[a]! + this.tagMass[b]! - inter;
    return union > 0 ? inter / union : 0;
  }
}
