// Roll back the published index: re-point artifacts/CURRENT.json at a version the bucket still keeps
// (the export keeps the last 3). The target is checked completely first (manifest present, every file
// present with the size and sha256 the manifest names), so a rollback can never publish a broken set.
// Several buckets may be given (the batch's GCS bucket first, then R2): each is checked and re-pointed,
// so the next publish does not flip the edge back.
//   npx tsx scripts/deploy/rollback.ts --bucket gs://artsnob-batch --bucket s3://artsnob?endpoint=… [--to VERSION] [--dry-run]
//   npm run deploy:rollback -- …
// Without --to: the newest kept version published before the current one (by manifest createdAt).
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { MANIFEST_FILE, readPointer } from "../../common/artifacts/read.ts";
import { ManifestSchema, sha256Hex, type Manifest, type Pointer } from "../../common/artifacts/format.ts";
import { CURRENT_POINTER_KEY, artifactKey } from "../../common/bucket/keys.ts";
import type { Bucket } from "../../common/bucket/types.ts";
import { listVersions, POINTER_CACHE } from "./publish.ts";

export class RollbackError extends Error {}

export interface KeptVersion {
  version: string;
  createdAt: string;
  manifestSha256: string;
  manifest: Manifest;
}

/** Versions with a readable manifest, oldest first. */
export async function keptVersions(bucket: Bucket): Promise<KeptVersion[]> {
  const out: KeptVersion[] = [];
  for (const version of await listVersions(bucket)) {
    const bytes = await bucket.get(artifactKey(version, MANIFEST_FILE));
    if (!bytes) continue;
    const parsed = ManifestSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    if (!parsed.success || parsed.data.version !== version) continue;
    out.push({ version, createdAt: parsed.data.createdAt, manifestSha256: await sha256Hex(bytes), manifest: parsed.data });
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.version.localeCompare(b.version));
}

/** Every file of the version is present with the manifest's size and sha256. */
export async function verifyVersion(bucket: Bucket, v: KeptVersion): Promise<void> {
  for (const f of Object.values(v.manifest.files)) {
    const key = artifactKey(v.version, f.path);
    const bytes = await bucket.get(key);
    if (!bytes) throw new RollbackError(`${bucket.name}: ${key} is missing`);
    if (bytes.byteLength !== f.bytes || (await sha256Hex(bytes)) !== f.sha256) throw new RollbackError(`${bucket.name}: ${key} does not match its manifest`);
  }
}

export interface RollbackPlan {
  bucket: string;
  from: string | null;
  to: string;
  pointer: Pointer;
}

export interface RollbackOptions {
  buckets: Bucket[];
  /** Target version; default: the newest kept version created before the current one. */
  to?: string;
  dryRun?: boolean;
  now?: () => Date;
}

export async function rollback(opts: RollbackOptions): Promise<RollbackPlan[]> {
  if (opts.buckets.length === 0) throw new RollbackError("no bucket given");
  const now = (opts.now ?? (() => new Date()))().toISOString();
  // Check every bucket before writing any pointer: all move together or none does.
  const plans: Array<RollbackPlan & { target: Bucket }> = [];
  let target: string | undefined = opts.to;
  for (const bucket of opts.buckets) {
    const current = await readPointer(bucket).catch(() => null);
    const kept = await keptVersions(bucket);
    if (target === undefined) {
      const i = kept.findIndex((k) => k.version === current?.version);
      const before = (i >= 0 ? kept.slice(0, i) : kept.filter((k) => k.version !== current?.version)).at(-1);
      if (!before) throw new RollbackError(`${bucket.name}: no kept version before ${current?.version ?? "(none)"}; kept: ${kept.map((k) => k.version).join(", ") || "none"}`);
      target = before.version;
    }
    const chosen = kept.find((k) => k.version === target);
    if (!chosen) throw new RollbackError(`${bucket.name}: version ${target} is not kept; kept: ${kept.map((k) => k.version).join(", ") || "none"}`);
    await verifyVersion(bucket, chosen);
    plans.push({ target: bucket, bucket: bucket.name, from: current?.version ?? null, to: chosen.version, pointer: { version: chosen.version, manifestSha256: chosen.manifestSha256, publishedAt: now } });
  }
  if (!opts.dryRun) {
    for (const p of plans) await p.target.put(CURRENT_POINTER_KEY, JSON.stringify(p.pointer), { contentType: "application/json", cacheControl: POINTER_CACHE });
  }
  return plans.map(({ target: _t, ...p }) => p);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { bucket: { type: "string", multiple: true }, to: { type: "string" }, "dry-run": { type: "boolean" }, list: { type: "boolean" } } });
  const { openDeployBucket } = await import("./buckets.ts");
  const specs = values.bucket ?? (process.env.BUCKET ? [process.env.BUCKET] : []);
  if (specs.length === 0) {
    console.error("usage: rollback.ts --bucket <spec> [--bucket <spec>…] [--to VERSION] [--dry-run] [--list]");
    process.exit(2);
  }
  const buckets = await Promise.all(specs.map((s) => openDeployBucket(s)));
  try {
    if (values.list) {
      for (const b of buckets) {
        const current = await readPointer(b).catch(() => null);
        const kept = await keptVersions(b);
        console.log(JSON.stringify({ bucket: b.name, current: current?.version ?? null, kept: kept.map((k) => ({ version: k.version, createdAt: k.createdAt, count: k.manifest.count })) }));
      }
    } else {
      const plans = await rollback({ buckets, ...(values.to ? { to: values.to } : {}), dryRun: values["dry-run"] ?? false });
      console.log(JSON.stringify({ rolledBack: !values["dry-run"], plans }));
    }
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "rollback refused", error: err instanceof Error ? err.message : String(err) }));
    process.exit(1);
  }
}
