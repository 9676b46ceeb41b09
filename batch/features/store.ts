// Feature vectors cached in the bucket by image hash (`features/<descriptor>/<hash>.f32`, raw
// little-endian float32), and the matrix of all active works that the later stages read.
import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Bucket } from "../../common/bucket/types.ts";
import type { Db } from "../../common/db/client.ts";
import { artworks } from "../../common/db/schema.ts";
import { sha256Hex } from "../../common/artifacts/format.ts";

export function featureKey(descriptorId: string, imageHash: string): string {
  if (!/^[0-9a-f]{64}$/.test(imageHash)) throw new Error(`not a sha256 hex digest: ${imageHash}`);
  return `features/${descriptorId}/${imageHash}.f32`;
}

export async function loadFeature(bucket: Bucket, descriptorId: string, imageHash: string, dim: number): Promise<Float32Array | null> {
  const bytes = await bucket.get(featureKey(descriptorId, imageHash));
  if (!bytes || bytes.byteLength !== dim * 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function encodeFeature(v: Float32Array): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i]!, true);
  return out;
}

/** Active works that have an image, in id order: the rows of every artifact. */
export async function activeWorks(db: Db): Promise<Array<{ id: number; imageHash: string; original: string | null }>> {
  const rows = await db
    .select({ id: artworks.id, imageHash: artworks.imageHash, variants: artworks.imageVariants })
    .from(artworks)
    .where(and(eq(artworks.status, "active"), isNotNull(artworks.imageHash)))
    .orderBy(asc(artworks.id));
  return rows.map((r) => ({ id: r.id, imageHash: r.imageHash!, original: r.variants?.original ?? null }));
}

export interface FeatureMatrix {
  descriptorId: string;
  dim: number;
  ids: Uint32Array;
  hashes: string[];
  /** rows × dim, unit vectors. */
  vectors: Float32Array;
  /** Works skipped because their features are missing (describe not run or image undecodable). */
  missing: number;
  /** Content hash of (descriptor, ids, image hashes): names everything derived from this matrix. */
  inputHash: string;
}

export async function loadFeatureMatrix(db: Db, bucket: Bucket, descriptorId: string, dim: number): Promise<FeatureMatrix> {
  const works = await activeWorks(db);
  const ids: number[] = [];
  const hashes: string[] = [];
  const rows: Float32Array[] = [];
  let missing = 0;
  const byHash = new Map<string, Float32Array | null>();
  for (const w of works) {
    if (!byHash.has(w.imageHash)) byHash.set(w.imageHash, await loadFeature(bucket, descriptorId, w.imageHash, dim));
    const f = byHash.get(w.imageHash);
    if (!f) {
      missing++;
      continue;
    }
    ids.push(w.id);
    hashes.push(w.imageHash);
    rows.push(f);
  }
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => vectors.set(r, i * dim));
  const inputHash = await sha256Hex(`${descriptorId}|${dim}\n` + ids.map((id, i) => `${id}:${hashes[i]}`).join("\n"));
  return { descriptorId, dim, ids: Uint32Array.from(ids), hashes, vectors, missing, inputHash };
}
