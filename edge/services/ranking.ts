// The recommendation ranker (pure; no I/O). A linear model over a candidate set:
//   like(c)    = max over liked works l of sim(c, l)  + 1.0 · mean over l of sim(c, l)
//   sim(c, l)  = 0.6·cos(c, l) + 2.0·tagOverlap(c, l) + 0.5·[same cluster] + 0.2·[c among l's neighbours]
//   score(c)   = like(c) − 0.7·dislike(c) + 0.5·searchHit(c) − 0.15·exposures(c) + small seeded jitter
// cos comes from the WASM vector core (int8 SIMD); tagOverlap is idf-weighted Jaccard. Then at most
// `perArtist` works per artist in each window of `pageSize`, so every page is varied. Every item
// keeps the reason it ranks ("because you liked …", "because you searched …").
import { NO_NEIGHBOUR } from "../../common/artifacts/read.ts";
import type { VectorIndex } from "../../wasm/src/index.ts";
import type { ArtworkModel } from "./artwork-model.ts";
import { NONE, type WorkFeatures } from "./work-features.ts";

export type Why =
  | { kind: "liked"; artworkId: number; title: string }
  | { kind: "search"; query: string }
  | { kind: "curated"; cluster: string };

export interface Ranked {
  id: number;
  score: number;
  why: Why;
}

export interface RankInput {
  model: ArtworkModel;
  index: VectorIndex | null;
  /** Most recent first. */
  liked: number[];
  disliked: number[];
  /** Never returned (acted on already). */
  exclude: Set<number>;
  /** Lexical results of recent searches, best first. */
  searches: Array<{ query: string; ids: number[] }>;
  exposures: Map<number, number>;
  seed: number;
  perArtist: number;
  pageSize: number;
  maxItems?: number;
}

/** Tunable (scripts/eval/reco.ts --weights). */
export const WEIGHTS: Record<"cos" | "tag" | "cluster" | "neighbour" | "meanLike" | "dislike" | "search" | "exposure" | "jitter", number> = { cos: 0.6, tag: 2.0, cluster: 0.5, neighbour: 0.2, meanLike: 1.0, dislike: 0.7, search: 0.5, exposure: 0.15, jitter: 0.02 };
const MAX_LIKES = 12;
const MAX_DISLIKES = 12;

/** 32-bit hash of (seed, id) → [0, 1): a stable per-context shuffle for ties. */
export function jitter(seed: number, id: number): number {
  return jitter32(seed, id) / 4294967296;
}

/** The same hash as an unsigned 32-bit integer. */
export function jitter32(seed: number, id: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(id, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function neighboursOf(model: ArtworkModel, id: number): number[] {
  const set = model.set;
  const row = model.rowOf(id);
  if (!set || row === undefined) return [];
  const out: number[] = [];
  for (let j = 0; j < set.k; j++) {
    const n: number = set.neighbours[row * set.k + j]!;
    if (n !== NO_NEIGHBOUR && n !== row) out.push(set.ids[n]!);
  }
  return out;
}

/** The candidates as feature ordinals, and the artifact rows of those that have one. */
interface CandidateView {
  ids: number[];
  /** Feature ordinal → index in `ids` (negative when not a candidate): the features' scratch table. */
  indexOfOrdinal: Int32Array;
  ordinals: Int32Array;
  rows: number[];
  rowPos: number[];
}

function candidateView(f: WorkFeatures, ids: number[], ordinals: Int32Array): CandidateView {
  const rows: number[] = [];
  const rowPos: number[] = [];
  const indexOfOrdinal = f.scratch;
  for (let i = 0; i < ordinals.length; i++) {
    const o = ordinals[i]!;
    indexOfOrdinal[o] = i;
    const r = f.row[o]!;
    if (r !== NONE) (rows.push(r), rowPos.push(i));
  }
  return { ids, indexOfOrdinal, ordinals, rows, rowPos };
}

/** Indices by score descending, ties by id ascending: a bottom-up merge sort without comparator calls. */
export function sortByScore(score: Float64Array, ids: readonly number[]): Int32Array {
  const n = score.length;
  let a = new Int32Array(n);
  let b = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const x = a[i]!;
        const y = a[j]!;
        // Take from the right run only when strictly first: equal keys keep their order (stable).
        if (score[y]! > score[x]! || (score[y] === score[x] && ids[y]! < ids[x]!)) (b[k++] = y), j++;
        else (b[k++] = x), i++;
      }
      while (i < mid) b[k++] = a[i++]!;
      while (j < hi) b[k++] = a[j++]!;
    }
    [a, b] = [b, a];
  }
  return a;
}

/** Candidate ordinals, unique, in first-seen order; deduplicated through the features' scratch table. */
class CandidatePool {
  static readonly SEEN = -2;
  readonly ords: number[] = [];
  constructor(private readonly f: WorkFeatures) {}

  add(id: number): void {
    const o = this.f.ordinal(id);
    if (o === NONE || this.f.scratch[o] !== NONE) return;
    this.f.scratch[o] = CandidatePool.SEEN;
    this.ords.push(o);
  }

  /** Leaves the shared scratch table clean (every entry NONE) for the next ranking. */
  release(): void {
    for (const o of this.ords) this.f.scratch[o] = NONE;
  }
}

/** Candidate works around the liked ones: neighbours, cluster core, tag siblings, vector search. */
function candidates(input: RankInput, liked: number[], disliked: number[], out: CandidatePool): void {
  const { model } = input;
  const commonTag = Math.max(30, model.snapshot.ids.length * 0.2);
  for (const l of liked) {
    for (const n of neighboursOf(model, l)) out.add(n);
    const cluster = model.clusters[model.clusterOf.get(l) ?? -1];
    if (cluster) for (let i = 0; i < Math.min(60, cluster.members.length); i++) out.add(cluster.members[i]!);
    // Siblings through the liked work's 4 most specific (rarest, still shared) tags.
    const entries = (model.snapshot.works.get(l)?.tags ?? []).flatMap((t) => model.tags.get(t) ?? []).filter((e) => e.count > 1 && e.count <= commonTag);
    entries.sort((a, b) => a.count - b.count);
    for (const e of entries.slice(0, 4)) for (let i = 0; i < Math.min(40, e.ids.length); i++) out.add(e.ids[i]!);
  }
  // A full "more like these" scan of the index only when the precomputed neighbours give too few
  // candidates (no table, or works newer than the export): the scan is the costly part at 100k works.
  const set = model.set;
  if (input.index && set && out.ords.length < 150) {
    const rows = (ids: number[]) => ids.flatMap((id) => model.rowOf(id) ?? []);
    const likedRows = rows(liked);
    if (likedRows.length > 0) for (const h of input.index.searchByExamples(likedRows, rows(disliked), 200)) out.add(set.ids[h.row]!);
  }
  for (const s of input.searches) for (const id of s.ids.slice(0, 50)) out.add(id);
}

/** Per-pair similarity of candidates to a reference work. */
function similarities(input: RankInput, ref: number, view: CandidateView): Float64Array {
  const { model } = input;
  const f = model.features();
  const n = view.ids.length;
  const sims = new Float64Array(n);
  const refOrd = f.ordinal(ref);
  const refCluster = refOrd === NONE ? NONE : f.cluster[refOrd]!;
  for (const id of neighboursOf(model, ref)) {
    const o = f.ordinal(id);
    const i = o === NONE ? NONE : view.indexOfOrdinal[o]!;
    if (i >= 0) sims[i] = WEIGHTS.neighbour; // pooled but dropped candidates are marked SEEN (< 0)
  }
  for (let i = 0; i < n; i++) {
    const o = view.ordinals[i]!;
    let s = refOrd === NONE ? 0 : WEIGHTS.tag * f.tagOverlap(refOrd, o);
    if (refCluster !== NONE && f.cluster[o] === refCluster) s += WEIGHTS.cluster;
    sims[i]! += s;
  }
  const set = model.set;
  const refRow = refOrd === NONE ? NONE : f.row[refOrd]!;
  if (input.index && set && refRow !== NONE && view.rows.length > 0) {
    const cos = input.index.score(set.rowVector(refRow), view.rows);
    view.rowPos.forEach((pos, j) => (sims[pos]! += WEIGHTS.cos * Math.max(0, cos[j]!)));
  }
  return sims;
}

/** Greedy page packing: each window of `pageSize` holds at most `perArtist` works by one artist. */
export function diversify(items: Ranked[], model: ArtworkModel, perArtist: number, pageSize: number): Ranked[] {
  const f = model.features();
  const n = items.length;
  const artist = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = f.ordinal(items[i]!.id);
    artist[i] = o === NONE ? 0 : f.artist[o]!;
  }
  // The items not placed yet, in rank order, as a linked list: a page takes from the front, and what it
  // skips (artist over the cap) stays in place for the next page, so nothing is copied per page.
  const next = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) next[i] = i + 1;
  const HEAD = n; // sentinel before the first item; next[last] = n marks the end
  next[HEAD] = n > 0 ? 0 : n;
  const counts = new Int32Array(f.artistCount);
  const out: Ranked[] = [];
  const page: number[] = [];
  while (next[HEAD] !== n) {
    page.length = 0;
    let prev = HEAD;
    for (let i: number = next[HEAD]!; i !== n && page.length < pageSize; i = next[i]!) {
      const key = artist[i]!;
      if (key !== 0 && counts[key]! >= perArtist) prev = i; // skipped: stays for a later page
      else {
        counts[key]!++;
        page.push(i);
        next[prev] = next[i]!; // unlink
      }
    }
    // Not enough variety left to fill a page under the cap: relax it rather than end the feed early.
    for (let i: number = next[HEAD]!; i !== n && page.length < pageSize; i = next[HEAD]!) (page.push(i), (next[HEAD] = next[i]!));
    for (const i of page) (out.push(items[i]!), (counts[artist[i]!] = 0));
  }
  return out;
}

/** Ranks candidates for a session with at least one like, dislike or search. */
export function rankPersonal(input: RankInput): Ranked[] {
  const { model } = input;
  const liked = input.liked.filter((id) => model.snapshot.works.has(id)).slice(0, MAX_LIKES);
  const disliked = input.disliked.filter((id) => model.snapshot.works.has(id)).slice(0, MAX_DISLIKES);
  const f = model.features();
  const pool = new CandidatePool(f);
  try {
    candidates(input, liked, disliked, pool);
    const cands: number[] = [];
    const ords = new Int32Array(pool.ords.length);
    let n = 0;
    for (const o of pool.ords) {
      const id = f.idAt(o);
      if (f.cluster[o] !== NONE && !input.exclude.has(id)) (cands.push(id), (ords[n++] = o));
    }
    return rankCandidates(input, liked, disliked, candidateView(f, cands, ords.subarray(0, n)));
  } finally {
    pool.release();
  }
}

function rankCandidates(input: RankInput, liked: number[], disliked: number[], view: CandidateView): Ranked[] {
  const { model } = input;
  const f = model.features();
  const cands = view.ids;
  const n = cands.length;
  const best = new Float64Array(n);
  const bestBy = new Int32Array(n).fill(-1);
  const sum = new Float64Array(n);
  for (const l of liked) {
    const s = similarities(input, l, view);
    for (let i = 0; i < n; i++) {
      sum[i]! += s[i]!;
      if (s[i]! > best[i]!) (best[i] = s[i]!), (bestBy[i] = l);
    }
  }
  const dis = new Float64Array(n);
  for (const d of disliked) {
    const s = similarities(input, d, view);
    for (let i = 0; i < n; i++) dis[i] = Math.max(dis[i]!, s[i]!);
  }
  const searchHit = new Map<number, { query: string; rr: number }>();
  for (const s of input.searches) {
    s.ids.slice(0, 50).forEach((id, rank) => {
      const rr = 1 / (1 + rank / 10);
      if ((searchHit.get(id)?.rr ?? 0) < rr) searchHit.set(id, { query: s.query, rr });
    });
  }
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const id = cands[i]!;
    const likeScore = best[i]! + (liked.length ? (WEIGHTS.meanLike * sum[i]!) / liked.length : 0);
    score[i] = likeScore - WEIGHTS.dislike * dis[i]! + WEIGHTS.search * (searchHit.get(id)?.rr ?? 0) - WEIGHTS.exposure * (input.exposures.get(id) ?? 0) + WEIGHTS.jitter * jitter(input.seed, id);
  }
  // Reasons only for what is kept.
  const order = sortByScore(score, cands);
  // One shared reason object per liked work, query and cluster: ranked lists are cached, so this is
  // a dozen objects per list rather than one per item.
  const likedWhy = new Map<number, Why>();
  const searchWhy = new Map<string, Why>();
  const clusterWhy = new Map<number, Why>();
  const keep = Math.min(n, input.maxItems ?? 500);
  const ranked: Ranked[] = new Array(keep);
  for (let k = 0; k < keep; k++) {
    const i = order[k]!;
    const id = cands[i]!;
    const hit = searchHit.size > 0 ? searchHit.get(id) : undefined;
    const by = bestBy[i]!;
    let why: Why | undefined;
    if (by >= 0 && (!hit || best[i]! >= WEIGHTS.search * hit.rr)) {
      why = likedWhy.get(by);
      if (!why) likedWhy.set(by, (why = { kind: "liked", artworkId: by, title: model.snapshot.works.get(by)?.row.title ?? "" }));
    } else if (hit) {
      why = searchWhy.get(hit.query);
      if (!why) searchWhy.set(hit.query, (why = { kind: "search", query: hit.query }));
    } else {
      const c = f.cluster[view.ordinals[i]!]!;
      why = clusterWhy.get(c);
      if (!why) clusterWhy.set(c, (why = { kind: "curated", cluster: model.clusters[c]!.label }));
    }
    ranked[k] = { id, score: score[i]!, why };
  }
  return diversify(ranked, model, input.perArtist, input.pageSize);
}

/** Cold start: a curated mix, round-robin over clusters (seeded order), works near each centroid first. */
export function rankCold(input: Pick<RankInput, "model" | "exposures" | "seed" | "perArtist" | "pageSize" | "exclude" | "maxItems">): Ranked[] {
  const { model } = input;
  const clusters = [...model.clusters].sort((a, b) => jitter(input.seed, a.id) - jitter(input.seed, b.id));
  const perCluster = Math.max(4, Math.ceil((input.maxItems ?? 500) / Math.max(1, clusters.length)));
  const lists = clusters.map((c) => c.members.filter((id) => !input.exclude.has(id)).slice(0, perCluster));
  const out: Ranked[] = [];
  for (let i = 0; i < perCluster; i++) {
    lists.forEach((list, ci) => {
      const id = list[i];
      if (id === undefined) return;
      const seen = input.exposures.get(id) ?? 0;
      out.push({ id, score: -i - 2 * seen, why: { kind: "curated", cluster: clusters[ci]!.label } });
    });
  }
  // Already-seen works sink (stable: round-robin order otherwise).
  out.sort((a, b) => b.score - a.score);
  return diversify(out.slice(0, input.maxItems ?? 500), model, input.perArtist, input.pageSize);
}

export function whyText(why: Why): string {
  if (why.kind === "liked") return `because you liked “${why.title}”`;
  if (why.kind === "search") return `because you searched “${why.query}”`;
  return `a pick from ${why.cluster}`;
}
