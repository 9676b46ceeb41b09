// Bucket specs for deploy scripts: everything openBucket (common/bucket/open.ts) accepts — a directory,
// gs://bucket[/prefix], http(s):// — plus s3://bucket[/prefix]?endpoint=https://host[&region=auto]
// for R2's S3 API (credentials from S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY, or R2_ACCESS_KEY_ID /
// R2_SECRET_ACCESS_KEY; endpoint also from S3_ENDPOINT). Node/Deno only.
import { openBucket } from "../../common/bucket/open.ts";
import { S3Bucket } from "../../common/bucket/s3.ts";
import type { Bucket } from "../../common/bucket/types.ts";

export function parseS3Spec(spec: string, env: Record<string, string | undefined> = process.env): S3Bucket {
  const m = /^s3:\/\/([^/?]+)\/?([^?]*)(?:\?(.*))?$/.exec(spec.trim());
  if (!m) throw new Error(`bucket spec ${JSON.stringify(spec)}: expected s3://bucket[/prefix]?endpoint=https://…`);
  const q = new URLSearchParams(m[3] ?? "");
  const endpoint = q.get("endpoint") ?? env.S3_ENDPOINT;
  if (!endpoint) throw new Error(`bucket spec ${JSON.stringify(spec)}: no endpoint (add ?endpoint=https://<account>.r2.cloudflarestorage.com or set S3_ENDPOINT)`);
  const accessKeyId = env.S3_ACCESS_KEY_ID ?? env.R2_ACCESS_KEY_ID;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY ?? env.R2_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error("S3 credentials missing: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (an R2 API token's key pair)");
  return new S3Bucket({ endpoint, bucket: m[1]!, ...(m[2] ? { prefix: m[2] } : {}), region: q.get("region") ?? "auto", accessKeyId, secretAccessKey });
}

export async function openDeployBucket(spec: string, env: Record<string, string | undefined> = process.env): Promise<Bucket> {
  return /^s3:\/\//i.test(spec.trim()) ? parseS3Spec(spec, env) : openBucket(spec);
}
