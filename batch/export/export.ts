// Export stage. Input: the feature matrix (DB + bucket) and the neighbours stage output for the
// same inputs. Output: a versioned artifact set under artifacts/v/<version>/ (manifest written
// last), the CURRENT pointer flipped, an artifact_versions row, and versions beyond `keep` deleted.
// The version is derived from the input hash, so unchanged inputs publish nothing new.
import { and, desc, eq, inArray, ne } from "drizzle-orm";
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
  encodeBinary,
  quantizeI8,
  sha256Hex,
  type Manifest,
  type Pointer,
} from "../../common/artifacts/format.ts";
import { MANIFEST_FILE } from "../../common/artifacts/read.ts";
import { createLogger, type Logger } from "../../common/log.ts";
import { DESCRIPTOR_DIM, DESCRIPTOR_ID } from "../features/descriptor.ts";
import { NEIGHBOURS_K, readNeighbours } from "../features/neighbours.ts";
import { loadFeatureMatrix, type FeatureMatrix } from "../features/store.ts";

export { MANIFEST_FILE };
export const DEFAULT_KEEP_VERSIONS = 3;

export interface ExportResult {
  version: string;
  /** False when the pointer already named this version (nothing changed). */
  published: boolean;
  /** True when the version folder was written in this run (false for a no-op or a re-publish). */
  built: boolean;
  count: number;
  dim: number;
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

export async function runExport(opts: { db: Db; bucket: Bucket; k?: number; keep?: number; log?: Logger; matrix?: FeatureMatrix }): Promise<ExportResult> {
  const t0 = Date.now();
  const log = (opts.log ?? createLogger()).child({ stage: "export" });
  const { db, bucket } = opts;
  const k = opts.k ?? NEIGHBOURS_K;
  const m = opts.matrix ?? (await loadFeatureMatrix(db, bucket, DESCRIPTOR_ID, DESCRIPTOR_DIM));
  const version = versionFor(m.inputHash, k);
  const rows = m.ids.length;
  const result = (published: boolean, built: boolean, manifestSha256: string, deletedVersions: string[] = []): ExportResult => ({ version, published, built, count: rows, dim: m.dim, deletedVersions, manifestSha256, ms: Date.now() - t0 });

  const pointer = await currentPointer(bucket);
  const existing = await readManifest(bucket, version);
  if (pointer?.version === version && existing && existing.sha === pointer.manifestSha256) {
    log.info("artifacts unchanged; nothing to publish", { version });
    return result(false, false, existing.sha);
  }

  let manifestSha = existing?.sha;
  const built = !existing;
  if (!existing) {
    const nn = await readNeighbours(bucket, m.inputHash, k, rows);
    if (!nn) throw new Error(`no neighbours for these inputs (${m.inputHash.slice(0, 12)}): run the neighbours stage first`);
    const vectors = new Int8Array(rows * m.dim);
    for (let r = 0; r < rows; r++) quantizeI8(m.vectors.subarray(r * m.dim, (r + 1) * m.dim), vectors, r * m.dim);
    const files: Record<string, Uint8Array> = {
      [ARTIFACT_FILES.ids]: encodeBinary({ magic: MAGIC.ids, element: ELEMENT.u32, rows, cols: 1, scale: 1 }, new Uint8Array(m.ids.buffer, m.ids.byteOffset, m.ids.byteLength)),
      [ARTIFACT_FILES.vectors]: encodeBinary({ magic: MAGIC.vectors, element: ELEMENT.i8, rows, cols: m.dim, scale: I8_SCALE }, new Uint8Array(vectors.buffer)),
      [ARTIFACT_FILES.neighbours]: nn.index,
      [ARTIFACT_FILES.neighbourScores]: nn.scores,
    };
    const entries: Manifest["files"] = {};
    for (const [name, bytes] of Object.entries(files)) {
      await bucket.put(artifactKey(version, name), bytes, { contentType: "application/octet-stream", cacheControl: "public, max-age=31536000, immutable" });
      entries[name] = { path: name, sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
    }
    const manifest: Manifest = ManifestSchema.parse({
      format: ARTIFACT_FORMAT,
      formatVersion: ARTIFACT_FORMAT_VERSION,
      version,
      createdAt: new Date().toISOString(),
      count: rows,
      dim: m.dim,
      embedder: { kind: "classic", id: m.descriptorId },
      neighboursK: k,
      files: entries,
    });
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
  const deleted = await pruneVersions(db, bucket, opts.keep ?? DEFAULT_KEEP_VERSIONS, version);
  log.info("artifacts published", { version, rows, dim: m.dim, built, deleted });
  return result(true, built, manifestSha!, deleted);
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

// Own entry point: `tsx batch/export/export.ts` runs just this stage (same flags as batch/cli.ts).
if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("export")); // no top-level await: the pipeline imports this module
