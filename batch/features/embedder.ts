// What the embed stage needs from a feature extractor. Two kinds implement it: the classic visual
// descriptor (no model; batch/features/descriptor.ts) and CLIP through transformers.js
// (batch/features/clip/). Vectors are L2-normalised Float32Arrays of length `dim`.
export interface ImageEmbedder {
  /** Stable id that names the feature cache and the artifacts, e.g. "classic-v2" or "clip:Xenova/clip-vit-base-patch32". */
  readonly id: string;
  readonly kind: "classic" | "clip";
  readonly dim: number;
  /** Embeds a batch of encoded images (any format sharp decodes). Throws per batch; callers retry one by one. */
  embedImages(images: Uint8Array[]): Promise<Float32Array[]>;
  close?(): Promise<void>;
}

/** The matching text side of a CLIP model, for text → image search. */
export interface TextEmbedder {
  readonly id: string;
  readonly dim: number;
  embedTexts(texts: string[]): Promise<Float32Array[]>;
  close?(): Promise<void>;
}
