// CLIP image embeddings through transformers.js + onnxruntime-node (CPU) from a local model directory.
// Both cores: onnxruntime runs each batch on `threads` intra-op threads while sharp decodes and shrinks the
// next batch in the libuv pool (onnxruntime-node's run blocks the JS thread, the sharp work does not).
import { availableParallelism } from "node:os";
import { AutoImageProcessor, CLIPVisionModelWithProjection, RawImage, Tensor as TensorClass, type Tensor } from "@huggingface/transformers";
import type { ImageEmbedder } from "../embedder.ts";
import { decodeForClip, type SizingProcessor } from "./decode.ts";
import { normalizedRow } from "./l2.ts";
import { ClipModelError, clipEmbedderId, inspectClipModelDir, onnxFile, type ClipDtype } from "./model-dir.ts";
import { useLocalModelsOnly } from "./offline.ts";

export interface ClipImageEmbedderOptions {
  /** Local directory in the Hugging Face layout (docs/models.md). */
  modelDir: string;
  /** Name in the embedder id ("clip:<modelId>"); defaults to the directory name. */
  modelId?: string;
  /** Images per inference call (default 16). */
  batchSize?: number;
  /** onnxruntime intra-op threads (default: all cores, at most 4). */
  threads?: number;
  /** Which ONNX export to load: fp32 (default) onnx/vision_model.onnx, q8 onnx/vision_model_quantized.onnx. */
  dtype?: ClipDtype;
}

export interface EmbedStats {
  images: number;
  /** Wall time spent inside embedImages (decode + preprocess + inference). */
  seconds: number;
  imagesPerSecond: number;
}

export interface ClipImageEmbedder extends ImageEmbedder {
  readonly kind: "clip";
  readonly modelDir: string;
  stats(): EmbedStats;
  close(): Promise<void>;
}

type Processor = SizingProcessor & {
  config?: Record<string, unknown>;
  (images: RawImage[]): Promise<{ pixel_values: Tensor }>;
};
type VisionModel = {
  (inputs: { pixel_values: Tensor }): Promise<Record<string, Tensor>>;
  dispose(): Promise<unknown>;
  sessions?: Record<string, { inputMetadata?: { name: string; shape?: (number | string)[] }[] }>;
};

/** Some exports fix the batch dimension (often to 1); batches must then be exactly that size. */
function fixedBatchSize(model: VisionModel): number | undefined {
  const pv = model.sessions?.model?.inputMetadata?.find((i) => i.name === "pixel_values");
  const n = pv?.shape?.[0];
  return typeof n === "number" && n > 0 ? n : undefined;
}

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw new ClipModelError(`${name} must be a positive integer, got ${v}`);
  return v;
}

/** Python's CLIPImageProcessor reads an integer `size` as the shortest edge (then centre-crops); older exports
 *  such as Xenova/clip-vit-base-patch32 store it that way, and transformers.js would instead fit the longest
 *  edge and pad. Matching Python keeps the embeddings the model was trained for. */
function shortestEdgeForIntegerSize(p: Processor): void {
  if (Number.isInteger(p.size) && p.config?.do_center_crop !== false) p.size = { shortest_edge: p.size as number };
}

export async function createClipImageEmbedder(opts: ClipImageEmbedderOptions): Promise<ClipImageEmbedder> {
  let batchSize = positiveInt("batchSize", opts.batchSize, 16);
  const threads = positiveInt("threads", opts.threads, Math.min(4, availableParallelism()));
  const m = await inspectClipModelDir(opts.modelDir, ["vision"], { modelId: opts.modelId, dtype: opts.dtype });
  useLocalModelsOnly();

  let processor: Processor;
  let model: VisionModel;
  try {
    processor = (await AutoImageProcessor.from_pretrained(m.dir, { local_files_only: true })) as unknown as Processor;
  } catch (err) {
    throw new ClipModelError(`could not load ${m.dir}/preprocessor_config.json: ${(err as Error).message}`, { cause: err });
  }
  shortestEdgeForIntegerSize(processor);
  try {
    model = (await CLIPVisionModelWithProjection.from_pretrained(m.dir, {
      local_files_only: true,
      device: "cpu",
      dtype: m.dtype,
      session_options: { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all" },
    })) as unknown as VisionModel;
  } catch (err) {
    throw new ClipModelError(`could not load ${m.dir}/${onnxFile("vision", m.dtype)}: ${(err as Error).message}`, { cause: err });
  }

  const fixedBatch = fixedBatchSize(model);
  if (fixedBatch !== undefined) batchSize = fixedBatch;

  const infer = async (pixels: Tensor): Promise<Float32Array[]> => {
    const count = pixels.dims[0]!;
    let pixel_values = pixels;
    if (fixedBatch !== undefined && count < fixedBatch) {
      // A short last batch is zero-padded to the export's fixed size; the extra rows are dropped below.
      const padded = new Float32Array((pixels.data as Float32Array).length / count * fixedBatch);
      padded.set(pixels.data as Float32Array);
      pixel_values = new TensorClass("float32", padded, [fixedBatch, ...pixels.dims.slice(1)]);
    }
    const out = await model({ pixel_values });
    const emb = out.image_embeds;
    if (!emb) throw new ClipModelError(`${m.dir}: the vision model has no image_embeds output (outputs: ${Object.keys(out).join(", ")})`);
    const [n, d] = emb.dims as [number, number];
    if (emb.dims.length !== 2 || n !== pixel_values.dims[0]) throw new ClipModelError(`${m.dir}: image_embeds has shape [${emb.dims}]`);
    const data = emb.data as Float32Array;
    return Array.from({ length: count }, (_, i) => normalizedRow(data, i, d));
  };

  // One blank image through the processor and model: proves both run and gives the real output width.
  let dim: number;
  try {
    const side = 64;
    const blank = new RawImage(new Uint8ClampedArray(side * side * 3).fill(255), side, side, 3);
    const [probe] = await infer((await processor([blank])).pixel_values);
    dim = probe!.length;
  } catch (err) {
    await model.dispose().catch(() => {});
    if (err instanceof ClipModelError) throw err;
    throw new ClipModelError(`${m.dir}: the vision model failed on a test image: ${(err as Error).message}`, { cause: err });
  }
  if (m.projectionDim !== undefined && m.projectionDim !== dim) {
    await model.dispose().catch(() => {});
    throw new ClipModelError(`${m.dir}: config.json says projection_dim ${m.projectionDim} but the vision model outputs ${dim}`);
  }

  const prepare = async (batch: Uint8Array[], offset: number): Promise<Tensor> => {
    const raws = await Promise.all(
      batch.map((bytes, i) =>
        decodeForClip(bytes, processor).catch((err: Error) => {
          throw new Error(`image ${offset + i}: ${err.message}`, { cause: err });
        }),
      ),
    );
    return (await processor(raws)).pixel_values;
  };

  let images = 0;
  let seconds = 0;
  let closed = false;
  return {
    id: clipEmbedderId(m),
    kind: "clip",
    dim,
    modelDir: m.dir,
    async embedImages(input: Uint8Array[]): Promise<Float32Array[]> {
      if (closed) throw new Error("CLIP image embedder is closed");
      if (!Array.isArray(input)) throw new TypeError("embedImages expects an array of encoded images");
      if (input.length === 0) return [];
      const started = performance.now();
      const batches: Uint8Array[][] = [];
      for (let i = 0; i < input.length; i += batchSize) batches.push(input.slice(i, i + batchSize));
      const out: Float32Array[] = [];
      let next = prepare(batches[0]!, 0);
      for (let b = 0; b < batches.length; b++) {
        const pixels = await next;
        if (b + 1 < batches.length) {
          next = prepare(batches[b + 1]!, (b + 1) * batchSize);
          next.catch(() => {}); // awaited on the next turn; this only stops an unhandled-rejection crash if inference throws first
        }
        out.push(...(await infer(pixels)));
      }
      images += input.length;
      seconds += (performance.now() - started) / 1000;
      return out;
    },
    stats: () => ({ images, seconds, imagesPerSecond: seconds > 0 ? images / seconds : 0 }),
    async close() {
      if (closed) return;
      closed = true;
      await model.dispose();
    },
  };
}
