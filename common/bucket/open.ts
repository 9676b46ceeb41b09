// Picks a Bucket backend from a spec string (the BUCKET setting). NODE/DENO ONLY: it imports
// LocalBucket (node:fs) and GcsBucket (@google-cloud/storage), which must never reach edge Worker
// code. Workers build their bucket directly: `new R2Bucket(env.BUCKET)` or `new HttpBucket(url)`.
//
//   /data/bucket, ./data/bucket, file:///data/bucket  → LocalBucket
//   gs://my-bucket[/prefix]                             → GcsBucket (endpoint: opts or GCS_API_ENDPOINT)
//   https://cdn.example/bucket/ (or http://)            → HttpBucket, read-only
import { fileURLToPath } from "node:url";
import type { AppConfig } from "../config.ts";
import { GcsBucket } from "./gcs.ts";
import { HttpBucket } from "./http.ts";
import { LocalBucket } from "./local.ts";
import type { Bucket } from "./types.ts";

export interface OpenBucketOptions {
  /** GCS JSON API endpoint (a local fake or emulator); defaults to env GCS_API_ENDPOINT. */
  gcsApiEndpoint?: string;
  gcsProjectId?: string;
  /** Extra headers for http(s) buckets, e.g. Authorization. */
  httpHeaders?: Record<string, string>;
}

/** The config fields this needs; lets callers pass a loaded AppConfig instead of a string. */
export type BucketConfig = Pick<AppConfig, "bucket"> & Partial<Pick<AppConfig, "GCS_API_ENDPOINT">>;

export function openBucket(spec: string | BucketConfig, opts: OpenBucketOptions = {}): Bucket {
  if (typeof spec === "object" && spec !== null) {
    return openBucket(spec.bucket, { ...(spec.GCS_API_ENDPOINT ? { gcsApiEndpoint: spec.GCS_API_ENDPOINT } : {}), ...opts });
  }
  if (typeof spec !== "string" || spec.trim() === "") throw new Error("bucket spec is empty: set BUCKET to a directory, gs://bucket[/prefix] or an http(s) URL");
  const s = spec.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s)?.[1]?.toLowerCase();
  if (scheme === undefined) return new LocalBucket(s);
  if (scheme === "file") return new LocalBucket(fileURLToPath(s));
  if (scheme === "http" || scheme === "https") return new HttpBucket(s, opts.httpHeaders ? { headers: opts.httpHeaders } : {});
  if (scheme === "gs") {
    const m = /^gs:\/\/([^/]+)\/?(.*)$/i.exec(s);
    if (!m?.[1]) throw new Error(`bucket spec ${JSON.stringify(s)}: expected gs://bucket[/prefix]`);
    const apiEndpoint = opts.gcsApiEndpoint ?? env("GCS_API_ENDPOINT");
    const projectId = opts.gcsProjectId;
    return new GcsBucket({
      bucket: m[1],
      ...(m[2] ? { prefix: m[2] } : {}),
      ...(apiEndpoint ? { apiEndpoint } : {}),
      ...(projectId ? { projectId } : {}),
    });
  }
  throw new Error(`bucket spec ${JSON.stringify(s)}: unsupported scheme "${scheme}://" (use a directory, gs:// or http(s)://; R2 is bound in the Worker)`);
}

/** process.env on Node and on Deno 2 (which provides `process`); undefined elsewhere. */
function env(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return value ? value : undefined;
}
