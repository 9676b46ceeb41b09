// Feature vectors cached in the bucket by image hash (`features/<descriptor>/<hash>.f32`, raw
// little-endian float32), and the matrix of all active works that the later stages read.
import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Bucket } from "../../common/bucket/types.ts";
import type { Db } from "../../common/db/client.ts";
import { artworks } from "../../common/db/schema.ts";
import { notDuplicateOfActive } from "../../common/db/browsable.ts";
import { ELEMENT, MAGIC, decodeBinary, encodeBinary, sha256Hex } from "../../common/artifacts/format.ts";

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

/** Active works that have an image, in id order: the rows of every artifact. Duplicate listings are
 * offers of their primary work, not rows of their own (common/db/browsable.ts). */
export async function activeWorks(db: Db): Promise<Array<{ id: number; imageHash: string; original: string | null }>> {
  const rows = await db
    .select({ id: artworks.id, imageHash: artworks.imageHash, variants: artworks.imageVariants })
    .from(artworks)
    .where(and(eq(artworks.status, "active"), isNotNull(artworks.imageHash), notDuplicateOfActive))
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

/** The row set of a feature matrix as text: the input of every downstream content hash. */
export function matrixInputHash(descriptorId: string, dim: number, ids: ArrayLike<number>, hashes: string[]): Promise<string> {
  let text = `${descriptorId}|${dim}\n`;
  for (let i = 0; i < ids.length; i++) text += `${i ? "\n" : ""}${ids[i]}:${hashes[i]}`;
  return sha256Hex(text);
}

/** Serialises a matrix for the embed-merge stage output: ids.u32, vectors.f32, hashes.bin (32 raw bytes a row). */
export function encodeMatrix(m: FeatureMatrix): Record<string, Uint8Array> {
  const rows = m.ids.length;
  const hashes = new Uint8Array(rows * 32);
  m.hashes.forEach((h, r) => {
    for (let i = 0; i < 32; i++) hashes[r * 32 + i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  });
  return {
    "ids.u32": encodeBinary({ magic: MAGIC.ids, element: ELEMENT.u32, rows, cols: 1, scale: 1 }, new Uint8Array(m.ids.buffer, m.ids.byteOffset, m.ids.byteLength)),
    "vectors.f32": encodeBinary({ magic: MAGIC.floatVectors, element: ELEMENT.f32, rows, cols: m.dim, scale: 1 }, new Uint8Array(m.vectors.buffer, m.vectors.byteOffset, m.vectors.byteLength)),
    "hashes.bin": hashes,
  };
}

export function decodeMatrix(files: { ids: Uint8Array; vectors: Uint8Array; hashes: Uint8Array }, descriptorId: string, inputHash: string, missing = 0): FeatureMatrix {
  const ids = new Uint32Array(decodeBinary(files.ids, MAGIC.ids).payload.slice().buffer);
  const v = decodeBinary(files.vectors, MAGIC.floatVectors);
  const rows = ids.length;
  if (v.header.rows !== rows || files.hashes.byteLength !== rows * 32) throw new Error(`matrix ${inputHash.slice(0, 12)}: row counts disagree`);
  const hashes: string[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    let h = "";
    for (let i = 0; i < 32; i++) h += files.hashes[r * 32 + i]!.toString(16).padStart(2, "0");
    hashes[r] = h;
  }
  return { descriptorId, dim: v.header.cols, ids, hashes, vectors: new Float32Array(v.payload.slice().buffer), missing, inputHash };
}
