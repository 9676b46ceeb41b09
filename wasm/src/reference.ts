// Plain-TypeScript reference for the WASM kernels: obviously correct, slow, used by tests and the bench.
// Same contract as VectorIndex.search / searchByExamples (wasm/src/index.ts), written from the definition.
import type { ExampleSearchOptions, Hit, SearchOptions } from "./index.ts";
import { DEFAULT_LAMBDA, dotToCosine } from "./index.ts";
import { exampleDirection, normalizeAndQuantize, toQueryI8 } from "./query.ts";

export class ReferenceIndex {
  constructor(readonly vectors: Int8Array, readonly count: number, readonly dim: number) {}

  /** Exact int8 dot of row r with q. */
  dot(r: number, q: Int8Array): number {
    let s = 0;
    const off = r * this.dim;
    for (let d = 0; d < this.dim; d++) s += this.vectors[off + d]! * q[d]!;
    return s;
  }

  search(query: Float32Array | Int8Array, k: number, opts: SearchOptions = {}): Hit[] {
    return this.rank(toQueryI8(query, this.dim), k, opts.exclude, opts.allow);
  }

  searchByExamples(liked: number[], disliked: number[], k: number, opts: ExampleSearchOptions = {}): Hit[] {
    const row = (r: number) => this.vectors.slice(r * this.dim, (r + 1) * this.dim);
    const direction = exampleDirection(row, this.dim, liked, disliked, opts.lambda ?? DEFAULT_LAMBDA);
    const exclude = new Set([...(opts.exclude ?? []), ...liked, ...disliked]);
    return this.rank(normalizeAndQuantize(direction), k, exclude, opts.allow);
  }

  score(query: Float32Array | Int8Array, rows: readonly number[]): number[] {
    const q = toQueryI8(query, this.dim);
    return rows.map((r) => dotToCosine(this.dot(r, q)));
  }

  /** Score every eligible row, sort by (score desc, row asc), cut at k. */
  private rank(q: Int8Array, k: number, exclude?: Iterable<number>, allow?: Iterable<number>): Hit[] {
    const ex = new Set(exclude ?? []);
    const al = allow === undefined ? undefined : new Set(allow);
    const all: Array<{ row: number; dot: number }> = [];
    for (let r = 0; r < this.count; r++) {
      if (ex.has(r) || (al && !al.has(r))) continue;
      all.push({ row: r, dot: this.dot(r, q) });
    }
    all.sort((a, b) => b.dot - a.dot || a.row - b.row);
    return all.slice(0, k).map(({ row, dot }) => ({ row, score: dotToCosine(dot) }));
  }
}
