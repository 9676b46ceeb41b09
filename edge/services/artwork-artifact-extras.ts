// Optional artifact files from the batch pipeline (issue 4): cluster assignments, cluster labels and
// 2-d map coordinates. Each is sha256-checked against the manifest like the core files; a file that
// is absent or fails its check is reported and the edge derives the same thing from what it has.
import { ARTIFACT_FILES, ArtifactError, MAGIC, decodeBinary, sha256Hex } from "../../common/artifacts/format.ts";
import { artifactKey } from "../../common/bucket/keys.ts";
import type { Bucket } from "../../common/bucket/types.ts";
import type { Logger } from "../../common/log.ts";
import type { LoadedArtifacts } from "./artifact-store.ts";

export interface ArtifactExtras {
  /** Cluster id of each artifact row. */
  clusterOf: Uint32Array | null;
  /** Cluster labels by cluster id (from clusters.json, any of a few plausible shapes). */
  clusterLabels: Map<number, string>;
  /** rows × 2 map coordinates. */
  map: Float32Array | null;
}

async function fileBytes(bucket: Bucket, set: LoadedArtifacts, name: string): Promise<Uint8Array | null> {
  const entry = set.manifest.files[name];
  if (!entry) return null;
  const data = await bucket.get(artifactKey(set.manifest.version, entry.path));
  if (!data) throw new ArtifactError(`${name}: missing`);
  if ((await sha256Hex(data)) !== entry.sha256) throw new ArtifactError(`${name}: sha256 mismatch`);
  return data;
}

function labelsFrom(json: unknown): Map<number, string> {
  const out = new Map<number, string>();
  const list = Array.isArray(json) ? json : (json as { clusters?: unknown })?.clusters;
  if (!Array.isArray(list)) return out;
  list.forEach((c, i) => {
    if (typeof c !== "object" || c === null) return;
    const o = c as Record<string, unknown>;
    const id = typeof o.id === "number" ? o.id : i;
    const label = [o.label, o.name, o.description].find((x) => typeof x === "string" && x.length > 0) as string | undefined;
    if (label) out.set(id, label.slice(0, 120));
  });
  return out;
}

export async function loadArtifactExtras(bucket: Bucket, set: LoadedArtifacts, logger: Logger): Promise<ArtifactExtras> {
  const extras: ArtifactExtras = { clusterOf: null, clusterLabels: new Map(), map: null };
  const n = set.manifest.count;
  try {
    const c = await fileBytes(bucket, set, ARTIFACT_FILES.clusterOf);
    if (c) {
      const { header, payload } = decodeBinary(c, MAGIC.clusterOf);
      if (header.rows !== n || header.cols !== 1) throw new ArtifactError(`clusters.u32: ${header.rows}×${header.cols}, expected ${n}×1`);
      extras.clusterOf = new Uint32Array(payload.slice().buffer, 0, n);
    }
    const labels = await fileBytes(bucket, set, ARTIFACT_FILES.clusters);
    if (labels) extras.clusterLabels = labelsFrom(JSON.parse(new TextDecoder().decode(labels)));
  } catch (err) {
    extras.clusterOf = null;
    logger.warn("artifact clusters ignored; deriving clusters from categories", { error: String(err) });
  }
  try {
    const m = await fileBytes(bucket, set, ARTIFACT_FILES.map);
    if (m) {
      const { header, payload } = decodeBinary(m, MAGIC.map);
      if (header.rows !== n || header.cols !== 2) throw new ArtifactError(`map.f32: ${header.rows}×${header.cols}, expected ${n}×2`);
      extras.map = new Float32Array(payload.slice().buffer, 0, n * 2);
    }
  } catch (err) {
    logger.warn("artifact map ignored; deriving coordinates from the vectors", { error: String(err) });
  }
  return extras;
}
