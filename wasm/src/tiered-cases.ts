// Seeded cases shared by the Node tests and the cross-runtime checks (Deno, workerd): build a small
// two-tier index, run every query kind through the WASM path and through the plain-TS reference.
import { buildIndexFiles } from "./build-index.ts";
import { clusteredRows, clusteredSpec } from "./clustered-data.ts";
import type { VectorCore } from "./index.ts";
import { referenceDiversify, ReferenceTiered } from "./reference-tiered.ts";
import { rng } from "./random-vectors.ts";
import { RowBitmap } from "./row-bitmap.ts";
import type { RangeReader } from "./rerank-source.ts";
import { loadTieredIndex, unitQuery, type TieredIndex } from "./tiered-index.ts";
import type { RerankElement } from "./rerank-format.ts";

export interface Built {
  files: { "ivf-rabitq.bin": Uint8Array; "rerank.bin": Uint8Array };
  data: Float32Array;
  queries: Float32Array;
  count: number;
  dim: number;
}

export async function buildCase(core: VectorCore, count: number, dim: number, rerank: RerankElement = "f16", seed = 5): Promise<Built> {
  const spec = { ...clusteredSpec(count, dim, seed), clusters: Math.max(4, Math.ceil(count / 300)) };
  const data = clusteredRows(spec, count, 1);
  const queries = clusteredRows(spec, 8, 2);
  const { files } = await buildIndexFiles(data, count, dim, { core, seed, rerank, iterations: 5 });
  return { files: { "ivf-rabitq.bin": files["ivf-rabitq.bin"]!, "rerank.bin": files["rerank.bin"]! }, data, queries, count, dim };
}

export function memoryReader(bytes: Uint8Array, log?: Array<[number, number]>): RangeReader {
  return {
    size: bytes.byteLength,
    async read(offset, length) {
      log?.push([offset, length]);
      return bytes.slice(offset, offset + length);
    },
  };
}

/**
 * Every query kind in "exact mode" (all partitions, every row a candidate) must equal the reference
 * exactly; in default mode, estimates must match the reference and results must overlap. Returns
 * JSON-able results plus the list of disagreements (empty = agree).
 */
export async function runTieredCases(core: VectorCore, b: Built): Promise<{ problems: string[]; results: unknown[] }> {
  const ref = new ReferenceTiered(b.files["ivf-rabitq.bin"], b.files["rerank.bin"]);
  const index: TieredIndex = await loadTieredIndex(core, { "ivf-rabitq.bin": b.files["ivf-rabitq.bin"], "rerank.bin": memoryReader(b.files["rerank.bin"]) });
  const problems: string[] = [];
  const results: unknown[] = [];
  const rand = rng(99);
  const exact = { nprobe: index.nlist, candidates: b.count };
  const same = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${what}: got ${JSON.stringify(got).slice(0, 300)} want ${JSON.stringify(want).slice(0, 300)}`);
  };
  const artistOf = Int32Array.from({ length: b.count }, (_, r) => r % 7);
  for (let qi = 0; qi < 3; qi++) {
    const q = b.queries.subarray(qi * b.dim, (qi + 1) * b.dim);
    const unit = unitQuery(q, b.dim);
    // Kernel estimates vs reference estimates (all rows).
    const est = ref.estimates(unit);
    const cands = index.candidates(q, b.count, { nprobe: index.nlist });
    let maxErr = 0;
    for (const c of cands) maxErr = Math.max(maxErr, Math.abs(c.estimate - est[c.row]!));
    if (cands.length !== b.count || maxErr > 2e-3) problems.push(`estimates: ${cands.length} rows, max |kernel − reference| = ${maxErr}`);
    // Exact mode = reference search.
    same(`search q${qi}`, await index.search(q, 10, exact), ref.search(unit, 10));
    const exclude = [...Array(b.count).keys()].filter(() => rand() < 0.2);
    const allow = new Set([...Array(b.count).keys()].filter(() => rand() < 0.5));
    same(`filtered q${qi}`, await index.search(q, 10, { ...exact, exclude: RowBitmap.from(exclude, b.count), allow }), ref.search(unit, 10, exclude, allow));
    const sparse = [...allow].filter(() => rand() < 0.02);
    same(`sparse allow q${qi} (default nprobe)`, await index.search(q, 5, { allow: sparse }), ref.search(unit, 5, [], sparse));
    // Diversity.
    const pool = ref.search(unit, 40);
    const capped = await index.search(q, 10, { ...exact, diversity: { maxPerArtist: 2, artistOf, overfetch: 4 } });
    same(`artist cap q${qi}`, capped, referenceDiversify(pool, 10, 2, artistOf, undefined, (r) => ref.row(r)));
    const mmr = await index.search(q, 10, { ...exact, diversity: { mmrLambda: 0.7, maxPerArtist: 3, artistOf, overfetch: 4 } });
    same(`mmr q${qi}`, mmr, referenceDiversify(pool, 10, 3, artistOf, 0.7, (r) => ref.row(r)));
    // Approximate default mode: overlap with the exact top-10.
    const approx = await index.search(q, 10);
    const truth = new Set(ref.search(unit, 10).map((h) => h.row));
    results.push({ q: qi, approxOverlap: approx.filter((h) => truth.has(h.row)).length, exactTop: ref.search(unit, 3), capped: capped.map((h) => h.row) });
  }
  // Examples: mean(liked) − λ·mean(disliked) over decoded rows, examples excluded.
  const liked = [1, 5, 9], disliked = [2];
  const dir = new Float64Array(b.dim);
  for (const r of liked) for (let d = 0; d < b.dim; d++) dir[d] = dir[d]! + ref.row(r)[d]! / liked.length;
  for (const r of disliked) for (let d = 0; d < b.dim; d++) dir[d] = dir[d]! - (0.5 * ref.row(r)[d]!) / disliked.length;
  const ex = await index.searchByExamples(liked, disliked, 10, exact);
  same("examples", ex, ref.search(unitQuery(dir, b.dim), 10, [...liked, ...disliked]));
  // Interests: two likes from far-apart rows form separate interests; no example or duplicate returned.
  const far = farthestPair(ref, b.count);
  const likes = [far[0], far[1], ...nearest(ref, far[0], 2), ...nearest(ref, far[1], 1)];
  const interests = await index.searchByInterests(likes, [], 12, { ...exact, joinCosine: 0.9 });
  const rowsSeen = new Set(interests.map((h) => h.row));
  if (rowsSeen.size !== interests.length) problems.push("interests: duplicate rows");
  if (likes.some((r) => rowsSeen.has(r))) problems.push("interests: returned a liked row");
  if (new Set(interests.map((h) => h.interest)).size < 2) problems.push("interests: expected hits from at least two interests");
  results.push({ examples: ex.map((h) => h.row), interests: interests.map((h) => [h.row, h.interest]) });
  // score() = reference score.
  const q0 = b.queries.subarray(0, b.dim);
  same("score", await index.score(q0, [0, 3, 7]), [0, 3, 7].map((r) => ref.score(unitQuery(q0, b.dim), r)));
  index.dispose();
  return { problems, results };
}

function farthestPair(ref: ReferenceTiered, count: number): [number, number] {
  let best: [number, number] = [0, 1], bestS = Infinity;
  for (let r = 1; r < Math.min(count, 200); r++) {
    const s = ref.score(ref.row(0), r);
    if (s < bestS) { bestS = s; best = [0, r]; }
  }
  return best;
}

function nearest(ref: ReferenceTiered, row: number, n: number): number[] {
  return ref.search(ref.row(row), n + 1).map((h) => h.row).filter((r) => r !== row).slice(0, n);
}

/** The fixed cross-runtime set (Node, Deno, workerd must all print the same): bytes + results + problems. */
export async function crossRuntimeTiered(core: VectorCore): Promise<{ problems: string[]; results: unknown[]; tierBytes: number[] }> {
  const problems: string[] = [];
  const results: unknown[] = [];
  const tierBytes: number[] = [];
  for (const [count, dim, element] of [[900, 128, "f16"], [1000, 512, "i8s"]] as const) {
    const b = await buildCase(core, count, dim, element);
    tierBytes.push(b.files["ivf-rabitq.bin"].byteLength, hashBytes(b.files["ivf-rabitq.bin"]), hashBytes(b.files["rerank.bin"]));
    const r = await runTieredCases(core, b);
    problems.push(...r.problems.map((p) => `${count}×${dim}: ${p}`));
    results.push(r.results);
  }
  return { problems, results, tierBytes };
}

function hashBytes(bytes: Uint8Array): number {
  let h = 0;
  for (let i = 0; i < bytes.length; i++) h = (Math.imul(h, 31) + bytes[i]!) | 0;
  return h;
}
