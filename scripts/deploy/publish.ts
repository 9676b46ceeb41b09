// Publishes the batch's current artifact version (and any new image variants) from the batch bucket
// (GCS in production) to the edge bucket (R2 through its S3 API, or a local R2 binding in tests),
// in the order a reader needs: image variants, then every artifact file (each sha256-checked against
// the manifest before it is copied), then the manifest, then the pointer — so a Worker polling the
// pointer never sees a version whose files are not all there.
//   npx tsx scripts/deploy/publish.ts --from gs://artsnob-batch --to s3://artsnob?endpoint=https://<acct>.r2.cloudflarestorage.com
//   (S3 credentials: S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY)
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { MANIFEST_FILE, readPointer } from "../../common/artifacts/read.ts";
import { ManifestSchema, sha256Hex, type Pointer } from "../../common/artifacts/format.ts";
import { ARTIFACTS_PREFIX, CURRENT_POINTER_KEY, artifactKey } from "../../common/bucket/keys.ts";
import type { Bucket } from "../../common/bucket/types.ts";
import { createLogger, type Logger } from "../../common/log.ts";

export const IMMUTABLE = "public, max-age=31536000, immutable";
/** The pointer changes in place: caches must revalidate it. */
export const POINTER_CACHE = "no-cache";

export interface PublishOptions {
  from: Bucket;
  to: Bucket;
  /** Copy images/ objects missing on the target (default true). */
  images?: boolean;
  /** Delete target versions that the source no longer keeps (default true). */
  prune?: boolean;
  /** Objects copied in parallel (default 8). */
  concurrency?: number;
  log?: Logger;
}

export interface PublishResult {
  version: string | null;
  /** False when the target already pointed at this version. */
  flipped: boolean;
  artifactFiles: number;
  artifactBytes: number;
  imagesCopied: number;
  imagesSkipped: number;
  prunedVersions: string[];
  ms: number;
}

export class PublishError extends Error {}

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Version folder names under artifacts/v/ that hold a manifest. */
export async function listVersions(bucket: Bucket): Promise<string[]> {
  const out: string[] = [];
  for await (const o of bucket.list(`${ARTIFACTS_PREFIX}/v/`)) {
    const m = /^artifacts\/v\/([^/]+)\/manifest\.json$/.exec(o.key);
    if (m) out.push(m[1]!);
  }
  return out;
}

async function copyImages(from: Bucket, to: Bucket, concurrency: number): Promise<{ copied: number; skipped: number }> {
  const have = new Set<string>();
  for await (const o of to.list("images/")) have.add(o.key);
  const missing: Array<{ key: string; contentType?: string }> = [];
  let skipped = 0;
  for await (const o of from.list("images/")) {
    if (have.has(o.key)) skipped++;
    else missing.push({ key: o.key, ...(o.contentType ? { contentType: o.contentType } : {}) });
  }
  await pool(missing, concurrency, async ({ key, contentType }) => {
    const body = await from.get(key);
    if (!body) return; // deleted since the listing
    await to.put(key, body, { ...(contentType ? { contentType } : {}), cacheControl: IMMUTABLE, ifAbsent: true });
  });
  return { copied: missing.length, skipped };
}

export async function publish(opts: PublishOptions): Promise<PublishResult> {
  const t0 = Date.now();
  const log = opts.log ?? createLogger({ service: "publish" });
  const concurrency = opts.concurrency ?? 8;
  const result: PublishResult = { version: null, flipped: false, artifactFiles: 0, artifactBytes: 0, imagesCopied: 0, imagesSkipped: 0, prunedVersions: [], ms: 0 };

  if (opts.images !== false) {
    const r = await copyImages(opts.from, opts.to, concurrency);
    result.imagesCopied = r.copied;
    result.imagesSkipped = r.skipped;
    log.info("images copied", r);
  }

  const pointer = await readPointer(opts.from);
  if (!pointer) {
    log.warn("source has no published artifact version; nothing to publish");
    result.ms = Date.now() - t0;
    return result;
  }
  result.version = pointer.version;
  await copyVersion(opts.from, opts.to, pointer, concurrency, result);

  const current = await readPointer(opts.to).catch(() => null);
  const previous = current?.version ?? null;
  if (!current || current.version !== pointer.version || current.manifestSha256 !== pointer.manifestSha256) {
    await opts.to.put(CURRENT_POINTER_KEY, JSON.stringify(pointer), { contentType: "application/json", cacheControl: POINTER_CACHE });
    result.flipped = true;
  }
  log.info("artifacts published", { version: pointer.version, flipped: result.flipped, files: result.artifactFiles, bytes: result.artifactBytes });

  if (opts.prune !== false) {
    const keep = new Set(await listVersions(opts.from));
    keep.add(pointer.version);
    // The version the edge served until now stays, whatever the source says: it is the rollback target.
    if (previous) keep.add(previous);
    for (const v of await listVersions(opts.to)) {
      if (keep.has(v)) continue;
      // Manifest first: a half-deleted version then no longer looks complete.
      await opts.to.delete(artifactKey(v, MANIFEST_FILE));
      for await (const o of opts.to.list(`${ARTIFACTS_PREFIX}/v/${v}/`)) await opts.to.delete(o.key);
      result.prunedVersions.push(v);
    }
    if (result.prunedVersions.length) log.info("old versions pruned", { versions: result.prunedVersions });
  }
  result.ms = Date.now() - t0;
  return result;
}

/** Copies one version's files then its manifest; every file is checked against the manifest first. */
export async function copyVersion(from: Bucket, to: Bucket, pointer: Pointer, concurrency: number, result?: PublishResult): Promise<void> {
  const manifestKey = artifactKey(pointer.version, MANIFEST_FILE);
  const manifestBytes = await from.get(manifestKey);
  if (!manifestBytes) throw new PublishError(`${manifestKey}: missing in the source`);
  if ((await sha256Hex(manifestBytes)) !== pointer.manifestSha256) throw new PublishError(`${manifestKey}: sha256 differs from the pointer`);
  const manifest = ManifestSchema.parse(JSON.parse(new TextDecoder().decode(manifestBytes)));

  // A version folder is immutable: if the target holds the same manifest, its files were copied before it.
  const existing = await to.get(manifestKey);
  if (existing && (await sha256Hex(existing)) === pointer.manifestSha256) return;

  const files = Object.values(manifest.files);
  await pool(files, concurrency, async (f) => {
    const key = artifactKey(pointer.version, f.path);
    const bytes = await from.get(key);
    if (!bytes) throw new PublishError(`${key}: missing in the source`);
    if (bytes.byteLength !== f.bytes || (await sha256Hex(bytes)) !== f.sha256) throw new PublishError(`${key}: does not match the manifest; refusing to publish ${pointer.version}`);
    await to.put(key, bytes, { contentType: f.path.endsWith(".json") ? "application/json" : "application/octet-stream", cacheControl: IMMUTABLE });
    if (result) {
      result.artifactFiles++;
      result.artifactBytes += bytes.byteLength;
    }
  });
  await to.put(manifestKey, manifestBytes, { contentType: "application/json", cacheControl: IMMUTABLE });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { from: { type: "string" }, to: { type: "string" }, "no-images": { type: "boolean" }, "no-prune": { type: "boolean" }, concurrency: { type: "string" } },
  });
  const { openDeployBucket } = await import("./buckets.ts");
  if (!values.from || !values.to) {
    console.error("usage: publish.ts --from <bucket spec> --to <bucket spec> [--no-images] [--no-prune] [--concurrency N]");
    process.exit(2);
  }
  const r = await publish({
    from: await openDeployBucket(values.from),
    to: await openDeployBucket(values.to),
    images: !values["no-images"],
    prune: !values["no-prune"],
    concurrency: values.concurrency ? Number(values.concurrency) : 8,
  });
  console.log(JSON.stringify(r));
}
