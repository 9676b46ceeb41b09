// /api/similar/upload: reverse image search. The upload is size-capped and must be a real JPEG, PNG,
// WebP or GIF (magic bytes); it is embedded by the same embedder as the published index (injected by
// the adapter: the classic descriptor in-process on Node/Deno, a remote embedder on Workers) and
// searched with the WASM core. Without a matching embedder the answer is a clear 501.
import type { UploadSimilarResponse } from "../../common/api-reads.ts";
import { HttpError, unavailable } from "../errors.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** What the adapter injects: any embedder with a stable id (batch/features/embedder.ts ImageEmbedder fits). */
export interface UploadEmbedder {
  readonly id: string;
  embedImages(images: Uint8Array[]): Promise<Float32Array[]>;
}

/** Thrown by a remote embedder that could not be reached or failed (not a bad image): a 503, not a 422. */
export class EmbedderUnavailable extends Error {
  override name = "EmbedderUnavailable";
}

export function imageKind(b: Uint8Array): "jpeg" | "png" | "webp" | "gif" | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "png";
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === "RIFF" && String.fromCharCode(...b.subarray(8, 12)) === "WEBP") return "webp";
  if (b.length >= 6 && String.fromCharCode(...b.subarray(0, 4)) === "GIF8") return "gif";
  return null;
}

export class SimilarUploadService {
  constructor(
    private readonly models: ArtworkModelStore,
    private readonly embedder: UploadEmbedder | undefined,
    private readonly runtime: string,
  ) {}

  async search(bytes: Uint8Array, limit: number): Promise<UploadSimilarResponse> {
    if (!this.embedder) {
      throw new HttpError(501, "upload_search_unavailable", `reverse image search is not available on ${this.runtime}: no image embedder is configured here (set a remote embedder, or use the Node/Deno server)`);
    }
    if (bytes.byteLength === 0) throw new HttpError(400, "empty_upload", "the upload is empty");
    if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new HttpError(413, "upload_too_large", `images must be at most ${MAX_UPLOAD_BYTES} bytes`);
    if (!imageKind(bytes)) throw new HttpError(415, "unsupported_image", "upload a JPEG, PNG, WebP or GIF image");
    const model = await this.models.current();
    const set = model.set;
    if (!set) throw unavailable("index_unavailable", "no vector index is published yet");
    // A remote embedder names its model only once it has answered (id ""): then the check comes after.
    const mismatch = () => new HttpError(501, "embedder_mismatch", `the index was built with ${set.manifest.embedder.id}; this server embeds with ${this.embedder!.id}`);
    if (this.embedder.id && set.manifest.embedder.id !== this.embedder.id) throw mismatch();
    let vec: Float32Array;
    try {
      [vec] = (await this.embedder.embedImages([bytes])) as [Float32Array];
    } catch (err) {
      if (err instanceof EmbedderUnavailable) throw unavailable("image_encoder_unavailable", `reverse image search is unavailable right now: ${err.message}`);
      throw new HttpError(422, "undecodable_image", "the image could not be decoded");
    }
    if (set.manifest.embedder.id !== this.embedder.id) throw mismatch();
    if (!vec || vec.length !== set.manifest.dim) throw new HttpError(422, "undecodable_image", "the image could not be embedded");
    const index = await set.index();
    const hits = index.search(vec, Math.min(200, limit * 3));
    const items: UploadSimilarResponse["items"] = [];
    for (const h of hits) {
      const w = model.snapshot.works.get(set.ids[h.row]!);
      if (w && w.duplicateOf == null) items.push(w.summaryWith({ score: Math.round(h.score * 1e4) / 1e4 }));
      if (items.length >= limit) break;
    }
    return { embedder: this.embedder.id, items, next: null };
  }
}
