// The text side of a CLIP model (same local directory as the images) for text → image search. Runs wherever
// transformers.js + onnxruntime-node run (Node, Deno with npm support); Workers use edge/text-encoder instead.
import { AutoTokenizer, CLIPTextModelWithProjection, type Tensor } from "@huggingface/transformers";
import type { TextEmbedder } from "../embedder.ts";
import { normalizedRow } from "./l2.ts";
import { ClipModelError, clipEmbedderId, inspectClipModelDir, onnxFile, type ClipDtype } from "./model-dir.ts";
import { useLocalModelsOnly } from "./offline.ts";

export interface ClipTextEmbedderOptions {
  modelDir: string;
  modelId?: string;
  /** onnxruntime intra-op threads (default 1: queries are short; a server keeps the other core for I/O). */
  threads?: number;
  dtype?: ClipDtype;
  /** Texts per inference call (default 32). */
  batchSize?: number;
}

type Tokenizer = {
  (texts: string[], opts: { padding: boolean | "max_length"; truncation: boolean; max_length: number }): Record<string, Tensor>;
  model_max_length: number;
};
type TextModel = {
  (inputs: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  dispose(): Promise<unknown>;
  sessions?: Record<string, { inputMetadata?: { name: string; shape?: (number | string)[] }[] }>;
};

/** A fixed sequence length in the export (e.g. MobileCLIP's 77) means every input is padded to it. */
function fixedSequenceLength(model: TextModel): number | undefined {
  const ids = model.sessions?.model?.inputMetadata?.find((i) => i.name === "input_ids");
  const len = ids?.shape?.[1];
  return typeof len === "number" && len > 0 ? len : undefined;
}

export async function createClipTextEmbedder(opts: ClipTextEmbedderOptions): Promise<TextEmbedder & { readonly modelDir: string }> {
  const threads = opts.threads ?? 1;
  const batchSize = opts.batchSize ?? 32;
  for (const [k, v] of [["threads", threads], ["batchSize", batchSize]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ClipModelError(`${k} must be a positive integer, got ${v}`);
  }
  const m = await inspectClipModelDir(opts.modelDir, ["text"], { modelId: opts.modelId, dtype: opts.dtype });
  useLocalModelsOnly();

  let tokenizer: Tokenizer;
  let model: TextModel;
  try {
    tokenizer = (await AutoTokenizer.from_pretrained(m.dir, { local_files_only: true })) as unknown as Tokenizer;
  } catch (err) {
    throw new ClipModelError(`could not load the tokenizer in ${m.dir}: ${(err as Error).message}`, { cause: err });
  }
  try {
    model = (await CLIPTextModelWithProjection.from_pretrained(m.dir, {
      local_files_only: true,
      device: "cpu",
      dtype: m.dtype,
      session_options: { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all" },
    })) as unknown as TextModel;
  } catch (err) {
    throw new ClipModelError(`could not load ${m.dir}/${onnxFile("text", m.dtype)}: ${(err as Error).message}`, { cause: err });
  }
  // CLIP's position table has 77 entries; longer input must be cut, not crash the model.
  const textConfig = (m.config.text_config as Record<string, unknown> | undefined) ?? {};
  const positions = typeof textConfig.max_position_embeddings === "number" ? textConfig.max_position_embeddings : 77;
  const fixed = fixedSequenceLength(model);
  const maxLength = fixed ?? Math.min(positions, Number.isFinite(tokenizer.model_max_length) ? tokenizer.model_max_length : positions);
  // Dynamic exports get the batch's longest length (CLIP pools at the first EOS behind a causal mask, so the
  // padding never changes a vector, and short queries run much faster than at 77).
  const padding = fixed ? ("max_length" as const) : true;

  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const inputs = tokenizer(texts, { padding, truncation: true, max_length: maxLength });
    const out = await model(inputs);
    const emb = out.text_embeds;
    if (!emb) throw new ClipModelError(`${m.dir}: the text model has no text_embeds output (outputs: ${Object.keys(out).join(", ")})`);
    const [n, d] = emb.dims as [number, number];
    if (emb.dims.length !== 2 || n !== texts.length) throw new ClipModelError(`${m.dir}: text_embeds has shape [${emb.dims}]`);
    return Array.from({ length: n }, (_, i) => normalizedRow(emb.data as Float32Array, i, d));
  };

  let dim: number;
  try {
    dim = (await run(["a photo"]))[0]!.length;
  } catch (err) {
    await model.dispose().catch(() => {});
    if (err instanceof ClipModelError) throw err;
    throw new ClipModelError(`${m.dir}: the text model failed on a test caption: ${(err as Error).message}`, { cause: err });
  }
  if (m.projectionDim !== undefined && m.projectionDim !== dim) {
    await model.dispose().catch(() => {});
    throw new ClipModelError(`${m.dir}: config.json says projection_dim ${m.projectionDim} but the text model outputs ${dim}`);
  }

  let closed = false;
  return {
    id: clipEmbedderId(m),
    dim,
    modelDir: m.dir,
    async embedTexts(texts: string[]): Promise<Float32Array[]> {
      if (closed) throw new Error("CLIP text embedder is closed");
      if (!Array.isArray(texts) || texts.some((t) => typeof t !== "string")) throw new TypeError("embedTexts expects an array of strings");
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) out.push(...(await run(texts.slice(i, i + batchSize))));
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      await model.dispose();
    },
  };
}
