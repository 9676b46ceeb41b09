// Page diversity over an exactly scored candidate list: at most N hits per artist, and/or maximal
// marginal relevance (MMR: pick argmax λ·score − (1−λ)·max cosine to what is already picked).
import type { Hit } from "./index.ts";
import { VectorInputError } from "./errors.ts";

export interface DiversityOptions {
  /** At most this many hits per artist (needs artistOf). */
  maxPerArtist?: number;
  /** Artist id of each row (row → id), e.g. an Int32Array exported with the index. */
  artistOf?: ArrayLike<number>;
  /** MMR trade-off in [0, 1]: 1 = pure relevance, 0 = pure novelty. Off when undefined. */
  mmrLambda?: number;
  /** Candidates considered = k × overfetch (default 4, at most 1000). */
  overfetch?: number;
}


/**
 * Vectors must be unit length (cosine = dot). Picks up to k hits from `hits` (best first) honouring the artist cap and MMR. `vector(row)` gives the
 * int8 (scale 127) vector of a hit, needed only for MMR. Deterministic: ties keep the input order.
 */
export function diversify(hits: readonly Hit[], k: number, opts: DiversityOptions, vector?: (row: number) => ArrayLike<number>): Hit[] {
  const { maxPerArtist, artistOf, mmrLambda } = opts;
  if (maxPerArtist !== undefined) {
    if (!Number.isInteger(maxPerArtist) || maxPerArtist < 1) throw new VectorInputError(`maxPerArtist must be a positive integer, got ${maxPerArtist}`);
    if (!artistOf || typeof artistOf.length !== "number") throw new VectorInputError("maxPerArtist needs artistOf (row → artist id)");
  }
  if (mmrLambda !== undefined && !(mmrLambda >= 0 && mmrLambda <= 1)) throw new VectorInputError(`mmrLambda must be in [0, 1], got ${mmrLambda}`);
  if (mmrLambda !== undefined && !vector) throw new VectorInputError("MMR needs the candidates' vectors");
  const perArtist = new Map<number, number>();
  const artist = (row: number) => {
    const a = artistOf![row];
    if (a === undefined) throw new VectorInputError(`artistOf has no entry for row ${row}`);
    return a;
  };
  const capOk = (row: number) => maxPerArtist === undefined || (perArtist.get(artist(row)) ?? 0) < maxPerArtist;
  const take = (h: Hit, out: Hit[]) => {
    out.push(h);
    if (maxPerArtist !== undefined) perArtist.set(artist(h.row), (perArtist.get(artist(h.row)) ?? 0) + 1);
  };
  const out: Hit[] = [];
  if (mmrLambda === undefined) {
    for (const h of hits) {
      if (out.length >= k) break;
      if (capOk(h.row)) take(h, out);
    }
    return out;
  }
  const pool = hits.slice();
  const maxSim = new Float64Array(pool.length).fill(-Infinity);
  const used = new Uint8Array(pool.length);
  while (out.length < k) {
    let best = -1, bestValue = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      if (used[i] || !capOk(pool[i]!.row)) continue;
      const novelty = out.length === 0 ? 0 : maxSim[i]!;
      const value = mmrLambda * pool[i]!.score - (1 - mmrLambda) * novelty;
      if (value > bestValue) { bestValue = value; best = i; }
    }
    if (best < 0) break;
    used[best] = 1;
    take(pool[best]!, out);
    const v = vector!(pool[best]!.row);
    for (let i = 0; i < pool.length; i++) {
      if (used[i]) continue;
      const w = vector!(pool[i]!.row);
      let s = 0;
      for (let d = 0; d < v.length; d++) s += v[d]! * w[d]!;
      maxSim[i] = Math.max(maxSim[i]!, s);
    }
  }
  return out;
}
