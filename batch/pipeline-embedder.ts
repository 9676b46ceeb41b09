// Chooses the image embedder: CLIP when a model directory is configured (pipeline.yaml
// embedder.modelDir or CLIP_MODEL_DIR), else the classic descriptor. Uses whichever exports of
// the descriptor and CLIP modules exist, so the pipeline keeps working while they evolve.
import type { PipelineConfig } from "./pipeline-config.ts";
import type { ImageEmbedder } from "./features/embedder.ts";
import * as descriptor from "./features/descriptor.ts";

type ClipFactory = (o: { modelDir: string; modelId?: string; batchSize?: number }) => Promise<ImageEmbedder> | ImageEmbedder;
const CLIP_MODULES = ["./features/clip/index.ts", "./features/clip/clip.ts", "./features/clip/image.ts", "./features/clip/embedder.ts"];

export async function resolveEmbedder(pipeline: PipelineConfig, env: Record<string, string | undefined>): Promise<ImageEmbedder> {
  const e = pipeline.embedder;
  const modelDir = e.modelDir ?? env.CLIP_MODEL_DIR;
  const wantClip = e.kind === "clip" || (e.kind === "auto" && Boolean(modelDir));
  if (wantClip) {
    if (!modelDir) throw new Error("embedder kind clip needs a model directory (CLIP_MODEL_DIR or embedder.modelDir in pipeline.yaml)");
    const factory = await findClipFactory();
    if (!factory) throw new Error("CLIP is configured but batch/features/clip does not export createClipImageEmbedder yet");
    const modelId = e.modelId ?? env.CLIP_MODEL_ID;
    return await factory({ modelDir, batchSize: e.batchSize, ...(modelId ? { modelId } : {}) });
  }
  return classicEmbedder();
}

async function findClipFactory(): Promise<ClipFactory | null> {
  for (const path of CLIP_MODULES) {
    try {
      const m = (await import(path)) as { createClipImageEmbedder?: ClipFactory };
      if (typeof m.createClipImageEmbedder === "function") return m.createClipImageEmbedder;
    } catch (err) {
      if ((err as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw err;
    }
  }
  return null;
}

/** The descriptor module's own ImageEmbedder when it has one, else a wrapper over describeImage. */
export function classicEmbedder(): ImageEmbedder {
  const own = (descriptor as { classicEmbedder?: ImageEmbedder }).classicEmbedder;
  if (own) return own;
  return {
    id: descriptor.DESCRIPTOR_ID,
    kind: "classic",
    dim: descriptor.DESCRIPTOR_DIM,
    embedImages: (images) => Promise.all(images.map((b) => descriptor.describeImage(b))),
  };
}

/** Bucket-safe folder name for an embedder id such as "clip:Xenova/clip-vit-base-patch32". */
export function embedderFolder(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, "_");
}
