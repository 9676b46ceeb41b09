// Reads one published artifact set from a bucket: pointer → manifest → files, each sha256-verified
// and decoded. Web-standard only (runs on Workers, Deno, Node). Meaning of the files:
//   ids.u32          rows × 1   artwork id of each row
//   vectors.i8       rows × dim int8 unit vectors, value = q / scale
//   neighbours.u32   rows × K   ROW indexes of each row's nearest neighbours, best first; 0xFFFFFFFF = none
//   neighbours.i8    rows × K   cosine of each neighbour, value = q / scale
import type { Bucket } from "../bucket/types.ts";
import { CURRENT_POINTER_KEY, artifactKey } from "../bucket/keys.ts";
import {
  ARTIFACT_FILES,
  ArtifactError,
  MAGIC,
  ManifestSchema,
  PointerSchema,
  decodeBinary,
  sha256Hex,
  type Manifest,
  type Magic,
  type Pointer,
} from "./format.ts";

export const NO_NEIGHBOUR = 0xffffffff;
/** The manifest's name inside a version folder (`artifacts/v/<version>/manifest.json`). */
export const MANIFEST_FILE = "manifest.json";

export interface ArtifactSet {
  pointer: Pointer;
  manifest: Manifest;
  ids: Uint32Array;
  vectors: Int8Array;
  vectorScale: number;
  neighbours: Uint32Array;
  neighbourScores: Int8Array;
  neighbourScale: number;
  k: number;
}

/** Reads and validates the pointer; null when nothing is published yet. */
export async function readPointer(bucket: Bucket): Promise<Pointer | null> {
  const bytes = await bucket.get(CURRENT_POINTER_KEY);
  if (!bytes) return null;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ArtifactError(`${CURRENT_POINTER_KEY}: not JSON`);
  }
  const parsed = PointerSchema.safeParse(json);
  if (!parsed.success) throw new ArtifactError(`${CURRENT_POINTER_KEY}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

async function verified(bucket: Bucket, key: string, sha256: string, bytes?: number): Promise<Uint8Array> {
  const data = await bucket.get(key);
  if (!data) throw new ArtifactError(`${key}: missing`);
  if (bytes !== undefined && data.byteLength !== bytes) throw new ArtifactError(`${key}: expected ${bytes} bytes, got ${data.byteLength}`);
  const actual = await sha256Hex(data);
  if (actual !== sha256) throw new ArtifactError(`${key}: sha256 mismatch`);
  return data;
}

/** Loads the whole set named by `pointer`; throws ArtifactError on anything inconsistent. */
export async function readArtifactSet(bucket: Bucket, pointer: Pointer): Promise<ArtifactSet> {
  const manifestBytes = await verified(bucket, artifactKey(pointer.version, MANIFEST_FILE), pointer.manifestSha256);
  const parsed = ManifestSchema.safeParse(JSON.parse(new TextDecoder().decode(manifestBytes)));
  if (!parsed.success) throw new ArtifactError(`manifest ${pointer.version}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const manifest = parsed.data;
  if (manifest.version !== pointer.version) throw new ArtifactError(`manifest names version ${manifest.version}, pointer ${pointer.version}`);

  // `files` is keyed by file name ("ids.u32"); the role name ("ids") is accepted too.
  const load = async (role: keyof typeof ARTIFACT_FILES, magic: Magic) => {
    const file = ARTIFACT_FILES[role];
    const entry = manifest.files[file] ?? manifest.files[role];
    if (!entry) throw new ArtifactError(`manifest ${manifest.version}: no entry for ${file}`);
    const data = await verified(bucket, artifactKey(manifest.version, entry.path), entry.sha256, entry.bytes);
    const decoded = decodeBinary(data, magic);
    if (decoded.header.rows !== manifest.count) throw new ArtifactError(`${file}: ${decoded.header.rows} rows, manifest says ${manifest.count}`);
    // Copy into a fresh, aligned buffer: typed-array views need 4-byte alignment for u32.
    return { header: decoded.header, payload: decoded.payload.slice() };
  };
  const [ids, vectors, neighbours, scores] = await Promise.all([
    load("ids", MAGIC.ids),
    load("vectors", MAGIC.vectors),
    load("neighbours", MAGIC.neighbours),
    load("neighbourScores", MAGIC.neighbourScores),
  ]);
  if (ids.header.cols !== 1) throw new ArtifactError(`ids: expected 1 column, got ${ids.header.cols}`);
  if (vectors.header.cols !== manifest.dim) throw new ArtifactError(`vectors: ${vectors.header.cols} columns, manifest dim ${manifest.dim}`);
  if (neighbours.header.cols !== manifest.neighboursK || scores.header.cols !== manifest.neighboursK) {
    throw new ArtifactError(`neighbours: columns differ from neighboursK ${manifest.neighboursK}`);
  }
  const neighbourRows = new Uint32Array(neighbours.payload.buffer, 0, manifest.count * manifest.neighboursK);
  for (const r of neighbourRows) {
    if (r !== NO_NEIGHBOUR && r >= manifest.count) throw new ArtifactError(`neighbours: row ${r} out of range`);
  }
  return {
    pointer,
    manifest,
    ids: new Uint32Array(ids.payload.buffer, 0, manifest.count),
    vectors: new Int8Array(vectors.payload.buffer, 0, manifest.count * manifest.dim),
    vectorScale: vectors.header.scale,
    neighbours: neighbourRows,
    neighbourScores: new Int8Array(scores.payload.buffer, 0, manifest.count * manifest.neighboursK),
    neighbourScale: scores.header.scale,
    k: manifest.neighboursK,
  };
}
