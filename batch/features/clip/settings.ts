// CLIP settings from the environment (docs/models.md). No CLIP_MODEL_DIR → null: the classic descriptor is used.
//   CLIP_MODEL_DIR     local model directory (Hugging Face layout)
//   CLIP_MODEL_ID      name in the embedder id, e.g. Xenova/clip-vit-base-patch32 (default: directory name)
//   CLIP_MODEL_DTYPE   fp32 (default) | q8 | fp16: which ONNX export in onnx/ to load
//   CLIP_BATCH_SIZE    images per inference call (default 16)
//   CLIP_THREADS       onnxruntime intra-op threads (default: cores, at most 4)
import { z } from "zod";

const Schema = z.object({
  CLIP_MODEL_DIR: z.string().trim().min(1).optional(),
  CLIP_MODEL_ID: z.string().trim().min(1).optional(),
  CLIP_MODEL_DTYPE: z.enum(["fp32", "fp16", "q8"]).optional(),
  CLIP_BATCH_SIZE: z.coerce.number().int().min(1).max(1024).optional(),
  CLIP_THREADS: z.coerce.number().int().min(1).max(256).optional(),
});

export interface ClipSettings {
  modelDir: string;
  modelId?: string;
  dtype?: "fp32" | "fp16" | "q8";
  batchSize?: number;
  threads?: number;
}

export function clipSettingsFromEnv(env: Record<string, string | undefined>): ClipSettings | null {
  const blankToUndefined = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]));
  const parsed = Schema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new Error(`invalid CLIP settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const e = parsed.data;
  if (!e.CLIP_MODEL_DIR) return null;
  return { modelDir: e.CLIP_MODEL_DIR, modelId: e.CLIP_MODEL_ID, dtype: e.CLIP_MODEL_DTYPE, batchSize: e.CLIP_BATCH_SIZE, threads: e.CLIP_THREADS };
}
