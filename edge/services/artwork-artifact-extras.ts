// Optional artifact files from the batch pipeline (issue 4): cluster assignments, cluster labels and
// 2-d map coordinates. Each is sha256-checked against the manifest like the core files; a file that
// is absent or fails its check is reported and the edge derives the same thing from what it has.
import { z } from "zod";
import { ARTIFACT_FILES, ArtifactError, MAGIC, decodeBinary, sha256Hex } from "../../common/artifacts/format.ts";
import { artifactKey } from "../../common/bucket/keys.ts";
import type { Bucket } from "../../common/bucket/types.ts";
import type { Logger } from "../../common/log.ts";
import { COLOURS, COLOURS_FILE } from "../../common/colours.ts";
import type { LoadedArtifacts } from "./artifact-store.ts";

/** 0xFFFFFFFF in clusters.u32: a row without a cluster. */
export const NO_CLUSTER = 0xffffffff;

const rowsOf = z.array(z.number().int().nonnegative());
const ClustersJson = z.object({
  clusters: z.array(z.object({ id: z.number().int().nonnegative(), label: z.string().max(200), topTags: z.array(z.string()).default([]), rows: rowsOf })),
});
const TagsJson = z.object({
  tags: z.array(z.object({ name: z.string(), label: z.string(), count: z.number(), score: z.number(), weightedScore: z.number().optional(), rows: rowsOf })),
  display: z.array(z.array(z.number().int().nonnegative())),
});
const VibesJson = z.object({
  vibes: z.array(z.object({ name: z.string().min(1).max(120), tagline: z.string().max(300).default(""), tags: z.array(z.string()).default([]), clusters: z.array(z.number().int()).default([]), rows: rowsOf })),
});
// Bit i of a row's mask names `names[i]`; the edge maps names, so a reordered list stays correct.
const ColoursJson = z.object({ version: z.number().int(), names: z.array(z.string()).max(16), rows: z.array(z.number().int().min(0).max(0xffff)) });
export type ArtifactClusters = z.infer<typeof ClustersJson>["clusters"];
export type ArtifactTags = z.infer<typeof TagsJson>;
export type ArtifactVibes = z.infer<typeof VibesJson>["vibes"];

export interface ArtifactExtras {
  /** Cluster id of each artifact row (NO_CLUSTER = none). */
  clusterOf: Uint32Array | null;
  /** Cluster labels by cluster id (from clusters.json). */
  clusterLabels: Map<number, string>;
  /** Clusters with members (rows) closest to the centroid first. */
  clusters: ArtifactClusters | null;
  /** Scored tags with reverse index (rows) and display tags per row. */
  tags: ArtifactTags | null;
  vibes: ArtifactVibes | null;
  /** rows × 2 map coordinates. */
  map: Float32Array | null;
  /** Dominant colours of each row as a bitmask over COLOURS (common/colours.ts), from colours.json. */
  colours: Uint16Array | null;
}

async function fileBytes(bucket: Bucket, set: LoadedArtifacts, name: string): Promise<Uint8Array | null> {
  const entry = set.manifest.files[name];
  if (!entry) return null;
  const data = await bucket.get(artifactKey(set.manifest.version, entry.path));
  if (!data) throw new ArtifactError(`${name}: missing`);
  if ((await sha256Hex(data)) !== entry.sha256) throw new ArtifactError(`${name}: sha256 mismatch`);
  return data;
}

async function jsonFile<S extends z.ZodType>(bucket: Bucket, set: LoadedArtifacts, name: string, schema: S): Promise<z.infer<S> | null> {
  const bytes = await fileBytes(bucket, set, name);
  if (!bytes) return null;
  const r = schema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
  if (!r.success) throw new ArtifactError(`${name}: ${r.error.issues[0]?.path.join(".")}: ${r.error.issues[0]?.message}`);
  return r.data;
}

const inRange = (rows: number[], n: number) => rows.every((r) => r < n);

export async function loadArtifactExtras(bucket: Bucket, set: LoadedArtifacts, logger: Logger): Promise<ArtifactExtras> {
  const extras: ArtifactExtras = { clusterOf: null, clusterLabels: new Map(), clusters: null, tags: null, vibes: null, map: null, colours: null };
  const n = set.manifest.count;
  try {
    const c = await fileBytes(bucket, set, ARTIFACT_FILES.clusterOf);
    if (c) {
      const { header, payload } = decodeBinary(c, MAGIC.clusterOf);
      if (header.rows !== n || header.cols !== 1) throw new ArtifactError(`clusters.u32: ${header.rows}×${header.cols}, expected ${n}×1`);
      extras.clusterOf = new Uint32Array(payload.slice().buffer, 0, n);
    }
    const clusters = await jsonFile(bucket, set, ARTIFACT_FILES.clusters, ClustersJson);
    if (clusters) {
      if (!clusters.clusters.every((c) => inRange(c.rows, n))) throw new ArtifactError("clusters.json: row out of range");
      extras.clusters = clusters.clusters;
      extras.clusterLabels = new Map(clusters.clusters.map((c) => [c.id, c.label]));
    }
    const vibes = await jsonFile(bucket, set, ARTIFACT_FILES.vibes, VibesJson);
    if (vibes && vibes.vibes.every((v) => inRange(v.rows, n))) extras.vibes = vibes.vibes;
  } catch (err) {
    extras.clusterOf = null;
    extras.clusters = null;
    extras.vibes = null;
    logger.warn("artifact clusters ignored; deriving clusters from categories", { error: String(err) });
  }
  try {
    const m = await fileBytes(bucket, set, ARTIFACT_FILES.map);
    if (m) {
      const { header, payload } = decodeBinary(m, MAGIC.map);
      if (header.rows !== n || header.cols < 2) throw new ArtifactError(`map.f32: ${header.rows}×${header.cols}, expected ${n}×2`);
      const all = new Float32Array(payload.slice().buffer, 0, n * header.cols);
      extras.map = new Float32Array(n * 2);
      for (let r = 0; r < n; r++) (extras.map[r * 2] = all[r * header.cols]!), (extras.map[r * 2 + 1] = all[r * header.cols + 1]!);
    }
  } catch (err) {
    logger.warn("artifact map ignored; deriving coordinates from the vectors", { error: String(err) });
  }
  try {
    const tags = await jsonFile(bucket, set, ARTIFACT_FILES.tags, TagsJson);
    if (tags) {
      if (!tags.tags.every((t) => inRange(t.rows, n)) || tags.display.length !== n) throw new ArtifactError("tags.json: rows out of range or display length ≠ count");
      extras.tags = tags;
    }
  } catch (err) {
    logger.warn("artifact tags ignored; deriving tag scores from the catalogue", { error: String(err) });
  }
  try {
    const c = await jsonFile(bucket, set, COLOURS_FILE, ColoursJson);
    if (c) {
      if (c.rows.length !== n) throw new ArtifactError(`colours.json: ${c.rows.length} rows, expected ${n}`);
      // Translate the file's bit order to COLOURS' (unknown names are dropped).
      const bitOf = c.names.map((name) => COLOURS.indexOf(name as (typeof COLOURS)[number]));
      extras.colours = Uint16Array.from(c.rows, (mask) => {
        let out = 0;
        bitOf.forEach((b, i) => b >= 0 && mask & (1 << i) && (out |= 1 << b));
        return out;
      });
    }
  } catch (err) {
    logger.warn("artifact colours ignored; the colour filter falls back to the classic-v1 vectors", { error: String(err) });
  }
  return extras;
}
