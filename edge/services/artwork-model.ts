// The read model every list endpoint shares, built once per (catalogue snapshot, artifact version):
// clusters (members ordered nearest-centroid first), a scored tag index with display tags, and the
// vector row of each work. Clusters come from the artifacts when the batch exports them; until then
// they are derived from the shops' own categories, ordered by the works' vectors.
import type { LoadedArtifacts } from "./artifact-store.ts";
import { type ArtifactExtras, NO_CLUSTER } from "./artwork-artifact-extras.ts";
import type { CatalogSnapshot, SnapshotWork } from "./artwork-snapshot.ts";
import { WorkFeatures } from "./work-features.ts";

export interface Cluster {
  id: number;
  label: string;
  /** Work ids, nearest the centroid first. */
  members: number[];
  /** Most characteristic tags of the cluster. */
  tags: string[];
}

export interface TagEntry {
  name: string;
  label?: string;
  count: number;
  /** Frequency × informativeness: count · ln(N / count). */
  score: number;
  /** Works with this tag, most typical first (highest tag-specificity, then id). */
  ids: number[];
}

export interface ArtworkModel {
  key: string;
  snapshot: CatalogSnapshot;
  set: LoadedArtifacts | null;
  clusters: Cluster[];
  clusterOf: Map<number, number>;
  clusterSource: "artifacts" | "categories";
  tags: Map<string, TagEntry>;
  /** Tags by score, best first. */
  tagList: TagEntry[];
  /** Vibes from the artifacts (null: derived from the largest clusters). */
  vibes: Array<{ name: string; tagline: string; tags: string[]; clusters: number[]; members: number[] }> | null;
  /** Dominant-colour bitmask per artifact row (colours.json), when the batch exported one. */
  colours?: Uint16Array | null;
  /** Published 2-d map (rows × 2, artifact row order), when the batch exported one. */
  map: Float32Array | null;
  /** Artifact row of a work, if indexed. */
  rowOf(id: number): number | undefined;
  idf(tag: string): number;
  /** Up to `max` tags of a work that say most about it (common enough to browse, not generic). */
  displayTags(work: SnapshotWork, max?: number): string[];
  /** Dense per-work features for ranking (built on first use). */
  features(): WorkFeatures;
}

const titleCase = (s: string) => s.replace(/[_/]+/g, " ").replace(/\s+/g, " ").trim().replace(/(^|[\s-])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase());

export function categoryLabel(category: string): string {
  return category.split("/").filter(Boolean).map(titleCase).join(" · ") || "Uncategorised";
}

/** Orders members by cosine to their mean vector (int8 rows); works without a vector go last by id. */
function orderByCentroid(members: number[], set: LoadedArtifacts | null, rowOf: (id: number) => number | undefined): number[] {
  if (!set) return [...members].sort((a, b) => a - b);
  const dim = set.manifest.dim;
  const mean = new Float64Array(dim);
  const rows: Array<[number, number]> = [];
  for (const id of members) {
    const r = rowOf(id);
    if (r === undefined) continue;
    rows.push([id, r]);
    const v = set.rowVector(r);
    for (let d = 0; d < dim; d++) mean[d]! += v[d]!;
  }
  const scored = rows.map(([id, r]) => {
    let dot = 0;
    const v = set.rowVector(r);
    for (let d = 0; d < dim; d++) dot += mean[d]! * v[d]!;
    return { id, dot };
  });
  scored.sort((a, b) => b.dot - a.dot || a.id - b.id);
  const withVector = new Set(scored.map((s) => s.id));
  return [...scored.map((s) => s.id), ...members.filter((id) => !withVector.has(id)).sort((a, b) => a - b)];
}

function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export function buildArtworkModel(snapshot: CatalogSnapshot, set: LoadedArtifacts | null, extras: ArtifactExtras | null): ArtworkModel {
  const rowOf = (id: number) => set?.rowOf.get(id);
  const n = Math.max(1, snapshot.ids.length);

  // Tag index.
  const byTag = new Map<string, number[]>();
  for (const id of snapshot.ids) for (const t of snapshot.works.get(id)!.tags) push(byTag, t, id);
  const idfOf = (count: number) => Math.log((n + 1) / (count + 0.5));
  const specificity = (id: number) => {
    const tags = snapshot.works.get(id)!.tags;
    return tags.length === 0 ? 0 : 1 / tags.length;
  };
  const tags = new Map<string, TagEntry>();
  for (const [name, ids] of byTag) {
    const spec = new Map(ids.map((id) => [id, specificity(id)]));
    ids.sort((a, b) => spec.get(b)! - spec.get(a)! || a - b);
    tags.set(name, { name, count: ids.length, score: Math.round(ids.length * Math.max(0, idfOf(ids.length)) * 1000) / 1000, ids });
  }
  const idsOfRows = (rows: number[]) => rows.flatMap((r) => {
    const id = set?.ids[r];
    return id !== undefined && snapshot.works.has(id) && snapshot.works.get(id)!.duplicateOf == null ? [id] : [];
  });
  if (set && extras?.tags) {
    // The batch's scored tags: its ranking first, then works it has not seen (newer than the export).
    for (const t of extras.tags.tags) {
      const ids = idsOfRows(t.rows);
      const seen = new Set(ids);
      for (const id of tags.get(t.name)?.ids ?? []) if (!seen.has(id)) ids.push(id);
      if (ids.length > 0) tags.set(t.name, { name: t.name, label: t.label, count: ids.length, score: Math.round((t.weightedScore ?? t.score) * 1000) / 1000, ids });
    }
  }
  const tagList = [...tags.values()].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));

  // Clusters: from the artifacts when exported, else from categories.
  const groups = new Map<string, number[]>();
  let clusterSource: ArtworkModel["clusterSource"] = "categories";
  const labels = new Map<string, string>();
  const ordered = new Map<string, number[]>();
  const artifactTags = new Map<string, string[]>();
  if (set && extras?.clusterOf) {
    clusterSource = "artifacts";
    for (const id of snapshot.ids) {
      const r = rowOf(id);
      const c = r === undefined ? NO_CLUSTER : extras.clusterOf[r]!;
      push(groups, c === NO_CLUSTER ? "unclustered" : String(c), id);
    }
    for (const key of groups.keys()) labels.set(key, key === "unclustered" ? "New arrivals" : (extras.clusterLabels.get(Number(key)) ?? ""));
    for (const c of extras.clusters ?? []) {
      ordered.set(String(c.id), idsOfRows(c.rows));
      artifactTags.set(String(c.id), c.topTags);
    }
  } else {
    for (const id of snapshot.ids) {
      const key = snapshot.works.get(id)!.row.category?.trim() || "";
      push(groups, key, id);
    }
    for (const key of groups.keys()) labels.set(key, categoryLabel(key));
  }
  const keys = [...groups.keys()].sort((a, b) => (clusterSource === "artifacts" ? Number(a) - Number(b) || a.localeCompare(b) : a.localeCompare(b)));
  const clusters: Cluster[] = [];
  const clusterOf = new Map<number, number>();
  const keyToId = new Map<string, number>();
  keys.forEach((key, id) => {
    keyToId.set(key, id);
    // The batch's centroid order when it has one (members it did not list follow), else by vectors.
    const pre = ordered.get(key);
    const inGroup = new Set(groups.get(key)!);
    const preSet = new Set(pre);
    const members = pre
      ? [...pre.filter((m) => inGroup.has(m)), ...orderByCentroid(groups.get(key)!.filter((m) => !preSet.has(m)), set, rowOf)]
      : orderByCentroid(groups.get(key)!, set, rowOf);
    const counts = new Map<string, number>();
    for (const m of members) for (const t of snapshot.works.get(m)!.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    const clusterTags = artifactTags.get(key)?.slice(0, 5) ?? [...counts].map(([t, c]) => ({ t, s: c * idfOf(tags.get(t)!.count) })).sort((a, b) => b.s - a.s || a.t.localeCompare(b.t)).slice(0, 5).map((x) => x.t);
    const label = labels.get(key) || (clusterTags.length ? clusterTags.slice(0, 3).map(titleCase).join(", ") : `Cluster ${id + 1}`);
    clusters.push({ id, label, members, tags: clusterTags });
    for (const m of members) clusterOf.set(m, id);
  });

  // Precomputed: the ranker asks for the idf of every tag of every candidate pair.
  const idfs = new Map<string, number>();
  for (const [name, t] of tags) idfs.set(name, idfOf(t.count));
  const minCount = Math.min(10, Math.max(2, Math.round(n / 100)));
  let features: WorkFeatures | null = null;
  const model: ArtworkModel = {
    key: `${snapshot.version}|${set?.manifest.version ?? "-"}`,
    snapshot,
    set,
    clusters,
    clusterOf,
    clusterSource,
    tags,
    tagList,
    map: extras?.map ?? null,
    colours: set ? (extras?.colours ?? null) : null,
    vibes: set && extras?.vibes
      ? extras.vibes.map((v) => ({ name: v.name, tagline: v.tagline, tags: v.tags, clusters: v.clusters.flatMap((c) => keyToId.get(String(c)) ?? []), members: idsOfRows(v.rows) }))
      : null,
    rowOf,
    idf: (tag) => idfs.get(tag) ?? idfOf(0),
    displayTags(work, max = 5) {
      const r = rowOf(work.id);
      if (extras?.tags && r !== undefined) return (extras.tags.display[r] ?? []).slice(0, max).flatMap((i) => extras.tags!.tags[i]?.name ?? []);
      // Browsable (used by ≥ minCount works) and specific (highest idf) first; the original sorted the
      // same way. Rare tags fall back in only when there are too few browsable ones.
      const ranked = work.tags
        .map((t) => ({ t, c: tags.get(t)?.count ?? 0 }))
        .sort((a, b) => Number(b.c >= minCount) - Number(a.c >= minCount) || a.c - b.c || a.t.localeCompare(b.t));
      return ranked.slice(0, max).map((x) => x.t);
    },
    features: () => (features ??= new WorkFeatures(model)),
  };
  return model;
}
