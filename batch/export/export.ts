// Export stage. Input: the latest outputs of embed-merge, neighbours, reduce, clusters, tags and
// random (those the export `needs` in pipeline.yaml), all checked to derive from the same feature
// matrix. Output: a versioned artifact set under artifacts/v/<version>/ (manifest written last),
// the CURRENT pointer flipped (one object write), an artifact_versions row, and versions beyond
// `keep` deleted. The version is a hash of the inputs, so unchanged inputs publish nothing.
// Layout of every file: docs/architecture.md.
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import { z } from "zod";
import type { Bucket } from "../../common/bucket/types.ts";
import type { Db } from "../../common/db/client.ts";
import { artifactVersions } from "../../common/db/schema.ts";
import { ARTIFACTS_PREFIX, CURRENT_POINTER_KEY, artifactKey } from "../../common/bucket/keys.ts";
import {
  ARTIFACT_FILES,
  ARTIFACT_FORMAT,
  ARTIFACT_FORMAT_VERSION,
  ELEMENT,
  I8_SCALE,
  MAGIC,
  ManifestSchema,
  PointerSchema,
  decodeBinary,
  encodeBinary,
  quantizeI8,
  sha256Hex,
  type Manifest,
  type Pointer,
} from "../../common/artifacts/format.ts";
import { MANIFEST_FILE } from "../../common/artifacts/read.ts";
import type { Logger } from "../../common/log.ts";
import { defineStage, type StageContext } from "../pipeline-stage.ts";
import { hashInputs, readStageFile, readStageJson, requireLatest, type StageDone } from "../pipeline-outputs.ts";
import { currentMatrix, MERGE_STAGE } from "../shard/merge.ts";
import { readNeighboursOutput } from "../features/neighbours.ts";
import { readReduced } from "../reduce/reduce.ts";
import type { ClustersOutput, VibeOutput } from "../clusters/clusters.ts";
import type { TagsOutput } from "../tags/tags.ts";
import type { FeatureMatrix } from "../features/store.ts";
import { COLOURS_FILE, COLOURS_INPUT, buildColours } from "./colours.ts";

export { MANIFEST_FILE };
export const DEFAULT_KEEP_VERSIONS = 3;
const NONE = 0xffffffff;

export const ExportParams = z
  .object({
    keep: z.number().int().min(1).max(100).default(DEFAULT_KEEP_VERSIONS),
    /** Also write the WASM core's two-tier index (wasm/src/build-index.ts): ivf-rabitq.bin, rerank.bin, ivf-rabitq.json. */
    tieredIndex: z.boolean().default(true),
    rerank: z.enum(["f16", "i8s"]).default("f16"),
    indexSeed: z.number().int().default(1),
  })
  .strict();
export type ExportParams = z.infer<typeof ExportParams>;
/** Meta of the two-tier index, beside its two binaries. */
export const TIERED_META_FILE = "ivf-rabitq.json";

export interface ExportResult {
  version: string;
  /** False when the pointer already named this version (nothing changed). */
  published: boolean;
  /** True when the version folder was written in this run (false for a no-op or a re-publish). */
  built: boolean;
  count: number;
  dim: number;
  files: string[];
  deletedVersions: string[];
  manifestSha256: string;
  ms: number;
}

export function versionFor(inputHash: string, k: number): string {
  return `c${ARTIFACT_FORMAT_VERSION}-${inputHash.slice(0, 20)}-k${k}`;
}

/** The published pointer, or null when missing or unreadable (a bad pointer must not block publishing). */
export async function currentPointer(bucket: Bucket): Promise<Pointer | null> {
  const bytes = await bucket.get(CURRENT_POINTER_KEY);
  if (!bytes) return null;
  try {
    return PointerSchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return null;
  }
}

async function readManifest(bucket: Bucket, version: string): Promise<{ manifest: Manifest; sha: string } | null> {
  const bytes = await bucket.get(artifactKey(version, MANIFEST_FILE));
  if (!bytes) return null;
  try {
    return { manifest: ManifestSchema.parse(JSON.parse(new TextDecoder().decode(bytes))), sha: await sha256Hex(bytes) };
  } catch {
    return null;
  }
}

const u32 = (a: Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Builds every artifact file from the stage outputs (ids become row numbers). */
async function buildFiles(ctx: Pick<StageContext, "db" | "bucket" | "log">, m: FeatureMatrix, inputs: Record<string, StageDone>, p: ExportParams): Promise<{ files: Record<string, Uint8Array>; k: number }> {
  const rows = m.ids.length;
  const rowOf = new Map<number, number>();
  m.ids.forEach((id, r) => rowOf.set(id, r));
  const toRows = (ids: number[]) => ids.map((id) => rowOf.get(id)).filter((r): r is number => r !== undefined);
  const vectors = new Int8Array(rows * m.dim);
  for (let r = 0; r < rows; r++) quantizeI8(m.vectors.subarray(r * m.dim, (r + 1) * m.dim), vectors, r * m.dim);
  const files: Record<string, Uint8Array> = {
    [ARTIFACT_FILES.ids]: encodeBinary({ magic: MAGIC.ids, element: ELEMENT.u32, rows, cols: 1, scale: 1 }, u32(m.ids)),
    [ARTIFACT_FILES.vectors]: encodeBinary({ magic: MAGIC.vectors, element: ELEMENT.i8, rows, cols: m.dim, scale: I8_SCALE }, new Uint8Array(vectors.buffer)),
  };
  let k = 0;
  const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  if (inputs.neighbours) {
    const nn = await readNeighboursOutput(ctx.bucket, inputs.neighbours, rows);
    files[ARTIFACT_FILES.neighbours] = nn.index;
    files[ARTIFACT_FILES.neighbourScores] = nn.scores;
    k = nn.k;
  } else {
    // Readers expect the neighbour files: an empty table (K = 0) keeps the set valid.
    files[ARTIFACT_FILES.neighbours] = encodeBinary({ magic: MAGIC.neighbours, element: ELEMENT.u32, rows, cols: 0, scale: 1 }, new Uint8Array(0));
    files[ARTIFACT_FILES.neighbourScores] = encodeBinary({ magic: MAGIC.neighbourScores, element: ELEMENT.i8, rows, cols: 0, scale: I8_SCALE }, new Uint8Array(0));
  }
  if (inputs.reduce) {
    const red = await readReduced(ctx.bucket, inputs.reduce);
    if (red.rows !== rows || red.ids.some((id, r) => id !== m.ids[r])) throw new Error("export: the reduce output is for other works; rerun --from reduce");
    files[ARTIFACT_FILES.map] = encodeBinary({ magic: MAGIC.map, element: ELEMENT.f32, rows, cols: red.mapDims, scale: 1 }, new Uint8Array(red.map.buffer, red.map.byteOffset, red.map.byteLength));
  }
  let tagIndex: Map<string, number> | null = null;
  if (inputs.tags) {
    const t = await readStageJson<TagsOutput>(ctx.bucket, inputs.tags, "tags.json");
    const kept = t.tags.map((tag) => ({ ...tag, rows: toRows(tag.works) })).filter((tag) => tag.rows.length > 0);
    tagIndex = new Map(kept.map((tag, i) => [tag.name, i]));
    const display = [...m.ids].map((id) => (t.display[id] ?? []).map((n) => tagIndex!.get(n)).filter((i): i is number => i !== undefined));
    files[ARTIFACT_FILES.tags] = json({
      tags: kept.map((tag) => ({ name: tag.name, label: tag.label, count: tag.count, score: tag.score, weightedScore: tag.weightedScore, rows: tag.rows })),
      display,
    });
  }
  if (inputs.clusters) {
    const c = await readStageJson<ClustersOutput>(ctx.bucket, inputs.clusters, "clusters.json");
    const of = new Uint32Array(rows).fill(NONE);
    c.ids.forEach((id, i) => {
      const r = rowOf.get(id);
      if (r !== undefined) of[r] = c.clusterOf[i]!;
    });
    files[ARTIFACT_FILES.clusterOf] = encodeBinary({ magic: MAGIC.clusterOf, element: ELEMENT.u32, rows, cols: 1, scale: 1 }, u32(of));
    files[ARTIFACT_FILES.clusters] = json({ k: c.k, clusters: c.clusters.map(({ members, ...rest }) => ({ ...rest, rows: toRows(members) })) });
    const vibes = await readStageJson<VibeOutput[]>(ctx.bucket, inputs.clusters, "vibes.json");
    files[ARTIFACT_FILES.vibes] = json({ vibes: vibes.map(({ representative, ...rest }) => ({ ...rest, rows: toRows(representative) })) });
  }
  if (inputs.random) {
    const raw = decodeBinary(await readStageFile(ctx.bucket, inputs.random, "random.u32"), MAGIC.random);
    const ids = new Uint32Array(raw.payload.slice().buffer);
    const out = new Uint32Array(ids.length).fill(NONE);
    ids.forEach((id, i) => (out[i] = id === NONE ? NONE : (rowOf.get(id) ?? NONE)));
    files[ARTIFACT_FILES.random] = encodeBinary({ magic: MAGIC.random, element: ELEMENT.u32, rows: raw.header.rows, cols: raw.header.cols, scale: 1 }, u32(out));
  }
  // Dominant colour names per row, whatever the embedder (batch/export/colours.ts).
  files[COLOURS_FILE] = json(await buildColours(ctx, m));
  if (p.tieredIndex && rows > 0) {
    // The WASM core's two-tier index over the same rows (row r here = row r of ids.u32).
    try {
      const { buildIndexFiles } = await import("../../wasm/src/build-index.ts");
      const built = await buildIndexFiles(m.vectors, rows, m.dim, { seed: p.indexSeed, rerank: p.rerank });
      for (const [name, bytes] of Object.entries(built.files)) files[name] = bytes;
      files[TIERED_META_FILE] = json(built.meta);
    } catch (e) {
      ctx.log.warn("two-tier index not built; the set has vectors.i8 only", { error: (e as Error).message });
    }
  }
  return { files, k };
}

export async function runExport(ctx: StageContext, opts: { params: ExportParams; needs: string[]; log: Logger }): Promise<ExportResult> {
  const t0 = Date.now();
  const { db, bucket } = ctx;
  const log = opts.log;
  const m = await currentMatrix(ctx, "export");
  const inputs: Record<string, StageDone> = {};
  // Keyed by module, so a pipeline.yaml may name its stages freely.
  for (const stage of opts.needs) {
    const module = ctx.pipeline.stages[stage]?.module ?? stage;
    if (["neighbours", "reduce", "clusters", "tags", "random"].includes(module)) inputs[module] = await requireLatest(bucket, stage, "export");
  }
  for (const s of ["neighbours", "reduce", "random"]) if (inputs[s] && inputs[s].meta.matrix !== m.inputHash) throw new Error(`export: the ${s} output was built from another feature matrix; rerun --from ${s}`);
  if (inputs.clusters && inputs.reduce && inputs.clusters.meta.reduce !== inputs.reduce.inputHash) throw new Error("export: the clusters output is older than the reduce output; rerun --from clusters");
  if (inputs.clusters && inputs.tags && inputs.clusters.meta.tags !== inputs.tags.inputHash) throw new Error("export: the clusters output is older than the tags output; rerun --from clusters");
  const exportHash = await hashInputs(["export", ARTIFACT_FORMAT_VERSION, m.inputHash, COLOURS_INPUT, Object.entries(inputs).map(([s, d]) => [s, d.inputHash]), opts.params.tieredIndex ? [opts.params.rerank, opts.params.indexSeed] : "no-index"]);
  const k = Number(inputs.neighbours?.meta.k ?? 0);
  const version = versionFor(exportHash, k);
  const rows = m.ids.length;
  const result = (published: boolean, built: boolean, manifestSha256: string, files: string[], deletedVersions: string[] = []): ExportResult => ({ version, published, built, count: rows, dim: m.dim, files, deletedVersions, manifestSha256, ms: Date.now() - t0 });

  const pointer = await currentPointer(bucket);
  const existing = await readManifest(bucket, version);
  if (pointer?.version === version && existing && existing.sha === pointer.manifestSha256) {
    log.info("artifacts unchanged; nothing to publish", { version });
    return result(false, false, existing.sha, Object.keys(existing.manifest.files));
  }
  let manifestSha = existing?.sha;
  let names = existing ? Object.keys(existing.manifest.files) : [];
  const built = !existing;
  if (!existing) {
    const { files } = await buildFiles(ctx, m, inputs, opts.params);
    const entries: Manifest["files"] = {};
    for (const [name, bytes] of Object.entries(files)) {
      await bucket.put(artifactKey(version, name), bytes, { contentType: name.endsWith(".json") ? "application/json" : "application/octet-stream", cacheControl: "public, max-age=31536000, immutable" });
      entries[name] = { path: name, sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
    }
    names = Object.keys(entries);
    const manifest = {
      ...ManifestSchema.parse({
        format: ARTIFACT_FORMAT,
        formatVersion: ARTIFACT_FORMAT_VERSION,
        version,
        createdAt: new Date().toISOString(),
        count: rows,
        dim: m.dim,
        embedder: { kind: m.descriptorId.startsWith("classic") ? "classic" : "clip", id: m.descriptorId },
        neighboursK: k,
        files: entries,
      }),
      // Provenance: the stage outputs this set was built from.
      inputs: { [MERGE_STAGE]: m.inputHash, ...Object.fromEntries(Object.entries(inputs).map(([s, d]) => [s, d.inputHash])) },
    };
    const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest, null, 2));
    // Written last: a version without a manifest is invisible to readers.
    await bucket.put(artifactKey(version, MANIFEST_FILE), manifestBytes, { contentType: "application/json", cacheControl: "public, max-age=31536000, immutable" });
    manifestSha = await sha256Hex(manifestBytes);
  }

  const now = new Date().toISOString();
  const newPointer: Pointer = { version, manifestSha256: manifestSha!, publishedAt: now };
  // One small object replaced in one write (rename on local disk, a single PUT on GCS/R2).
  await bucket.put(CURRENT_POINTER_KEY, JSON.stringify(newPointer), { contentType: "application/json", cacheControl: "no-cache" });
  await db
    .insert(artifactVersions)
    .values({ version, manifestSha256: manifestSha!, count: rows, status: "published", publishedAt: now })
    .onConflictDoUpdate({ target: artifactVersions.version, set: { manifestSha256: manifestSha!, status: "published", publishedAt: now } });
  await db.update(artifactVersions).set({ status: "built" }).where(and(ne(artifactVersions.version, version), eq(artifactVersions.status, "published")));
  const deleted = await pruneVersions(db, bucket, opts.params.keep, version);
  log.info("artifacts published", { version, rows, dim: m.dim, built, deleted });
  return result(true, built, manifestSha!, names, deleted);
}

/** Keeps the `keep` most recently published versions (the current one always); deletes the rest. */
export async function pruneVersions(db: Db, bucket: Bucket, keep: number, current: string): Promise<string[]> {
  const rows = await db.select().from(artifactVersions).where(ne(artifactVersions.status, "retired")).orderBy(desc(artifactVersions.publishedAt), desc(artifactVersions.createdAt));
  const keepSet = new Set<string>([current, ...rows.map((r) => r.version).filter((v) => v !== current).slice(0, Math.max(0, keep - 1))]);
  // Folders in the bucket decide, so versions the DB forgot are cleaned up too.
  const inBucket = new Set<string>();
  for await (const o of bucket.list(`${ARTIFACTS_PREFIX}/v/`)) inBucket.add(o.key.split("/")[2]!);
  const doomed = [...new Set([...inBucket, ...rows.map((r) => r.version)])].filter((v) => !keepSet.has(v));
  for (const v of doomed) {
    // Manifest first, so a half-deleted version is never mistaken for a complete one.
    await bucket.delete(artifactKey(v, MANIFEST_FILE));
    for await (const o of bucket.list(`${ARTIFACTS_PREFIX}/v/${v}/`)) await bucket.delete(o.key);
  }
  if (doomed.length) await db.update(artifactVersions).set({ status: "retired" }).where(inArray(artifactVersions.version, doomed));
  return doomed;
}

export const exportStage = defineStage({
  module: "export",
  inputs: ["stages/embed-merge", "stages/{neighbours,reduce,clusters,tags,random} LATEST", "bucket: features/palette-v1/ (filled from images/ when missing)"],
  outputs: ["artifacts/v/<version>/* + manifest.json", "artifacts/CURRENT.json", "DB: artifact_versions"],
  params: ExportParams,
  async run(ctx, p, stage) {
    const log = ctx.log.child({ stage });
    const r = await runExport(ctx, { params: p, needs: ctx.pipeline.stages[stage]?.needs ?? [], log });
    ctx.memo.set("export", r);
    return { inputHash: r.version, cached: !r.built, stats: { ...r } };
  },
});

// Own entry point: `tsx batch/export/export.ts` runs just this stage (same flags as batch/cli.ts).
if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("export")); // no top-level await: the pipeline imports this module
