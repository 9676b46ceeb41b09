// The exported artifact set the edge loads: a manifest (written last) naming each file with its
// sha256, plus binary files that all begin with the same 32-byte header. Byte layout: docs/architecture.md.
import { z } from "zod";

export const ARTIFACT_FORMAT = "artsnob-artifacts";
export const ARTIFACT_FORMAT_VERSION = 1;

export const ArtifactFileSchema = z.object({
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});
export type ArtifactFile = z.infer<typeof ArtifactFileSchema>;

export const ManifestSchema = z.object({
  format: z.literal(ARTIFACT_FORMAT),
  formatVersion: z.literal(ARTIFACT_FORMAT_VERSION),
  version: z.string().regex(/^[0-9A-Za-z._-]{1,64}$/),
  createdAt: z.string(),
  count: z.number().int().nonnegative(),
  dim: z.number().int().positive(),
  /** How vectors were made: "classic-v2" (the classic visual descriptor) or a CLIP model id. */
  embedder: z.object({ kind: z.enum(["classic", "clip"]), id: z.string() }),
  neighboursK: z.number().int().nonnegative(),
  files: z.record(z.string(), ArtifactFileSchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const PointerSchema = z.object({
  version: z.string(),
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
  publishedAt: z.string(),
});
export type Pointer = z.infer<typeof PointerSchema>;

/** File names inside a version folder. */
export const ARTIFACT_FILES = {
  ids: "ids.u32",
  vectors: "vectors.i8",
  neighbours: "neighbours.u32",
  neighbourScores: "neighbours.i8",
  /** Optional files (issue 4), listed in the manifest when present; layouts in docs/architecture.md. */
  map: "map.f32",
  clusterOf: "clusters.u32",
  clusters: "clusters.json",
  tags: "tags.json",
  random: "random.u32",
  vibes: "vibes.json",
} as const;

/** 32-byte header: magic(4) | u16 formatVersion | u16 elementType | u32 rows | u32 cols | f32 scale | 12 reserved. */
export const HEADER_BYTES = 32;
export const MAGIC = {
  ids: "ASID",
  vectors: "ASVQ",
  neighbours: "ASNN",
  neighbourScores: "ASNS",
  /** rows × 2 f32 collection-map coordinates. */
  map: "ASMP",
  /** rows × 1 u32 cluster id of each row. */
  clusterOf: "ASCL",
  /** selections × size u32 row numbers (seeded random selections). */
  random: "ASRS",
  /** rows × dim f32 vectors (batch-internal stage files). */
  floatVectors: "ASFV",
} as const;
export type Magic = (typeof MAGIC)[keyof typeof MAGIC];
export const ELEMENT = { u32: 1, i8: 2, f32: 3 } as const;

export interface BinaryHeader {
  magic: Magic;
  element: number;
  rows: number;
  cols: number;
  /** Dequantisation scale: value = int / scale (1 for ids). */
  scale: number;
}

export class ArtifactError extends Error {}

export function encodeBinary(header: BinaryHeader, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = header.magic.charCodeAt(i);
  view.setUint16(4, ARTIFACT_FORMAT_VERSION, true);
  view.setUint16(6, header.element, true);
  view.setUint32(8, header.rows, true);
  view.setUint32(12, header.cols, true);
  view.setFloat32(16, header.scale, true);
  out.set(payload, HEADER_BYTES);
  return out;
}

const ELEMENT_BYTES: Record<number, number> = { [ELEMENT.u32]: 4, [ELEMENT.i8]: 1, [ELEMENT.f32]: 4 };

/** Validates the header against what the caller expects and the actual length; returns header + payload view. */
export function decodeBinary(bytes: Uint8Array, expected: Magic): { header: BinaryHeader; payload: Uint8Array } {
  if (bytes.byteLength < HEADER_BYTES) throw new ArtifactError(`${expected}: truncated header (${bytes.byteLength} bytes)`);
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (magic !== expected) throw new ArtifactError(`${expected}: bad magic ${JSON.stringify(magic)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const formatVersion = view.getUint16(4, true);
  if (formatVersion !== ARTIFACT_FORMAT_VERSION) throw new ArtifactError(`${expected}: unsupported format version ${formatVersion}`);
  const header: BinaryHeader = {
    magic: expected,
    element: view.getUint16(6, true),
    rows: view.getUint32(8, true),
    cols: view.getUint32(12, true),
    scale: view.getFloat32(16, true),
  };
  const elementBytes = ELEMENT_BYTES[header.element];
  if (!elementBytes) throw new ArtifactError(`${expected}: unknown element type ${header.element}`);
  const want = HEADER_BYTES + header.rows * header.cols * elementBytes;
  if (bytes.byteLength !== want) throw new ArtifactError(`${expected}: expected ${want} bytes, got ${bytes.byteLength}`);
  return { header, payload: bytes.subarray(HEADER_BYTES) };
}

/** Symmetric int8 quantisation of unit vectors: q = round(x * 127). */
export const I8_SCALE = 127;

export function quantizeI8(unitVector: ArrayLike<number>, out: Int8Array, offset = 0): void {
  for (let i = 0; i < unitVector.length; i++) {
    const q = Math.round(unitVector[i]! * I8_SCALE);
    out[offset + i] = q > 127 ? 127 : q < -127 ? -127 : q;
  }
}

/** sha256 as lowercase hex, with Web Crypto (works in Workers, Deno and Node ≥ 20). */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
