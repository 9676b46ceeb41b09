// Clusters stage. Input: the reduce output (low-dimensional UMAP of the image vectors) and the
// tags output (TF-IDF per work). Output: taste clusters by k-means over [UMAP ‖ tag TF-IDF
// projection] with members ordered by distance to their centroid and labels from their most
// characteristic tags; and the configured vibes with their clusters and representative works.
// stages/clusters/<hash>/{clusters.json, vibes.json}.
import { z } from "zod";
import { defineStage } from "../pipeline-stage.ts";
import { hashInputs, markLatest, readDone, readStageJson, requireLatest, writeStageOutput } from "../pipeline-outputs.ts";
import { readReduced, type Reduced } from "../reduce/reduce.ts";
import type { TagsOutput } from "../tags/tags.ts";
import { createNormaliser, tagLabel } from "../tags/normalise.ts";
import type { TagRules, Vibe } from "../pipeline-config.ts";
import { hash32 } from "../random/prng.ts";
import { kmeans } from "./kmeans.ts";

export const ClustersParams = z
  .object({
    clusters: z.union([z.literal("auto"), z.number().int().min(1).max(10000)]).default("auto"),
    /** Weight of the tag part against the image part (each part has unit mean norm). */
    tagWeight: z.number().min(0).max(10).default(0.5),
    tagDims: z.number().int().min(1).max(512).default(32),
    iterations: z.number().int().min(1).max(1000).default(50),
    seed: z.number().int().default(7),
    labelTags: z.number().int().min(1).max(10).default(3),
    /** Representative works per vibe. */
    vibeWorks: z.number().int().min(1).max(200).default(12),
    /** Clusters a vibe takes when it names none. */
    vibeClusters: z.number().int().min(1).max(50).default(3),
  })
  .strict();
export type ClustersParams = z.infer<typeof ClustersParams>;

export interface ClusterInfo {
  id: number;
  label: string;
  topTags: string[];
  size: number;
  /** Mean map position of the members (collection map coordinates). */
  center: number[];
  /** Artwork ids, closest to the centroid first. */
  members: number[];
}
export interface ClustersOutput {
  k: number;
  clusters: ClusterInfo[];
  /** Artwork id → cluster id (same order as reduce ids). */
  ids: number[];
  clusterOf: number[];
}
export interface VibeOutput {
  name: string;
  tagline: string;
  tags: string[];
  clusters: number[];
  /** Artwork ids. */
  representative: number[];
}

export function autoK(rows: number): number {
  return Math.max(1, Math.min(100, Math.round(Math.sqrt(rows / 2)), rows));
}

/** Rows of [z-scored UMAP coords / √dims ‖ tagWeight · unit random projection of the tag TF-IDF]. */
export function clusterFeatures(red: Reduced, tfidf: TagsOutput["tfidf"], p: ClustersParams): { x: Float32Array; dims: number } {
  const dims = red.lowDims + (p.tagWeight > 0 ? p.tagDims : 0);
  const x = new Float32Array(red.rows * dims);
  for (let d = 0; d < red.lowDims; d++) {
    let m = 0;
    let v = 0;
    for (let r = 0; r < red.rows; r++) m += red.low[r * red.lowDims + d]!;
    m /= red.rows || 1;
    for (let r = 0; r < red.rows; r++) v += (red.low[r * red.lowDims + d]! - m) ** 2;
    const sd = Math.sqrt(v / (red.rows || 1)) || 1;
    for (let r = 0; r < red.rows; r++) x[r * dims + d] = (red.low[r * red.lowDims + d]! - m) / sd / Math.sqrt(red.lowDims);
  }
  if (p.tagWeight > 0) {
    for (let r = 0; r < red.rows; r++) {
      const pairs = tfidf[red.ids[r]!] ?? [];
      const o = r * dims + red.lowDims;
      for (const [t, w] of pairs) for (let d = 0; d < p.tagDims; d++) x[o + d]! += (hash32(p.seed, t, d) & 1 ? 1 : -1) * w;
      let n = 0;
      for (let d = 0; d < p.tagDims; d++) n += x[o + d]! ** 2;
      n = Math.sqrt(n);
      if (n > 0) for (let d = 0; d < p.tagDims; d++) x[o + d] = (x[o + d]! / n) * p.tagWeight;
    }
  }
  return { x, dims };
}

export function buildClusters(red: Reduced, tags: TagsOutput, p: ClustersParams): ClustersOutput {
  const { x, dims } = clusterFeatures(red, tags.tfidf, p);
  const k = p.clusters === "auto" ? autoK(red.rows) : Math.min(p.clusters, red.rows);
  const km = kmeans(x, red.rows, dims, k, p.seed, p.iterations);
  const total = red.rows;
  const df = new Map<number, number>();
  for (let r = 0; r < red.rows; r++) for (const [t] of tags.tfidf[red.ids[r]!] ?? []) df.set(t, (df.get(t) ?? 0) + 1);
  const clusters: ClusterInfo[] = [];
  for (let j = 0; j < km.k; j++) {
    const rows: number[] = [];
    for (let r = 0; r < red.rows; r++) if (km.assign[r] === j) rows.push(r);
    rows.sort((a, b) => km.dist2[a]! - km.dist2[b]! || red.ids[a]! - red.ids[b]!);
    // Label: tags over-represented in the cluster (class TF-IDF), seen on ≥ 2 members when possible.
    const inCluster = new Map<number, number>();
    for (const r of rows) for (const [t] of tags.tfidf[red.ids[r]!] ?? []) inCluster.set(t, (inCluster.get(t) ?? 0) + 1);
    const minSeen = rows.length >= 4 ? 2 : 1;
    const top = [...inCluster.entries()]
      .filter(([, c]) => c >= minSeen)
      .map(([t, c]) => [t, (c / rows.length) * Math.log(1 + total / df.get(t)!)] as const)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, p.labelTags)
      .map(([t]) => tags.tags[t]!.name);
    const center = Array.from({ length: red.mapDims }, (_, d) => round(rows.reduce((s, r) => s + red.map[r * red.mapDims + d]!, 0) / (rows.length || 1)));
    clusters.push({ id: j, label: top.length ? top.map(tagLabel).join(", ") : "Untagged", topTags: top, size: rows.length, center, members: rows.map((r) => red.ids[r]!) });
  }
  return { k: km.k, clusters, ids: [...red.ids], clusterOf: [...km.assign] };
}

export function buildVibes(vibes: Vibe[], rules: TagRules, c: ClustersOutput, tags: TagsOutput, p: ClustersParams): VibeOutput[] {
  const norm = createNormaliser(rules);
  const tagsOf = new Map<number, Set<string>>();
  for (const [id, pairs] of Object.entries(tags.tfidf)) tagsOf.set(Number(id), new Set(pairs.map(([t]) => tags.tags[t]!.name)));
  for (const t of tags.tags) if (!t.inVocabulary) for (const id of t.works) (tagsOf.get(id) ?? tagsOf.set(id, new Set()).get(id)!).add(t.name);
  return vibes.map((v) => {
    const want = new Set(v.tags.map(norm).filter((t): t is string => t !== null));
    const has = (id: number) => [...(tagsOf.get(id) ?? [])].some((t) => want.has(t));
    const affinity = c.clusters.map((cl) => ({ id: cl.id, a: cl.members.length ? cl.members.filter(has).length / cl.members.length : 0 }));
    const picked = v.clusters.filter((id) => id < c.k);
    for (const { id } of affinity.filter((x) => x.a > 0 && !picked.includes(x.id)).sort((a, b) => b.a - a.a || a.id - b.id)) {
      if (picked.length >= Math.max(v.clusters.length, p.vibeClusters)) break;
      picked.push(id);
    }
    // Round-robin over the picked clusters, centroid-near works carrying a vibe tag first.
    const lists = picked.map((id) => {
      const m = c.clusters[id]!.members;
      return [...m.filter(has), ...m.filter((w) => !has(w))];
    });
    const rep: number[] = [];
    for (let i = 0; rep.length < p.vibeWorks && lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length && rep.length < p.vibeWorks && !rep.includes(l[i]!)) rep.push(l[i]!);
    return { name: v.name, tagline: v.tagline, tags: [...want], clusters: picked, representative: rep };
  });
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;

export const clustersStage = defineStage({
  module: "clusters",
  inputs: ["stages/reduce (low.f32, map.f32, ids.u32)", "stages/tags (tags.json)", "pipeline.yaml vibes"],
  outputs: ["stages/clusters/<hash>/{clusters.json, vibes.json}"],
  params: ClustersParams,
  async run(ctx, p, stage) {
    const t0 = Date.now();
    const log = ctx.log.child({ stage });
    const reduceDone = await requireLatest(ctx.bucket, "reduce", stage);
    const tagsDone = await requireLatest(ctx.bucket, "tags", stage);
    const inputHash = await hashInputs([stage, p, reduceDone.inputHash, tagsDone.inputHash, ctx.pipeline.vibes, ctx.pipeline.tags]);
    const cached = Boolean(await readDone(ctx.bucket, stage, inputHash));
    let stats: Record<string, unknown> = { cached };
    if (cached) await markLatest(ctx.bucket, stage, inputHash);
    else {
      const red = await readReduced(ctx.bucket, reduceDone);
      const tags = (ctx.memo.get(`tags:${tagsDone.inputHash}`) as TagsOutput | undefined) ?? (await readStageJson<TagsOutput>(ctx.bucket, tagsDone, "tags.json"));
      const c = buildClusters(red, tags, p);
      const vibes = buildVibes(ctx.pipeline.vibes, ctx.pipeline.tags, c, tags, p);
      await writeStageOutput(ctx.bucket, stage, inputHash, { "clusters.json": JSON.stringify(c), "vibes.json": JSON.stringify(vibes) }, { reduce: reduceDone.inputHash, tags: tagsDone.inputHash, k: c.k });
      stats = { cached, rows: red.rows, k: c.k, vibes: vibes.length, emptyVibes: vibes.filter((v) => !v.representative.length).map((v) => v.name) };
    }
    stats.ms = Date.now() - t0;
    log.info("clusters finished", stats);
    return { inputHash, cached, stats };
  },
});

if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("clusters"));
