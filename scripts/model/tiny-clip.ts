// Writes a tiny CLIP-shaped model in the standard Hugging Face layout, so tests run the real loading code
// (transformers.js + onnxruntime) without downloading anything:
//   config.json, preprocessor_config.json, tokenizer.json, tokenizer_config.json,
//   onnx/vision_model.onnx (pixel_values → image_embeds), onnx/text_model.onnx (input_ids, attention_mask → text_embeds)
// Weights are random from a seed (same seed → byte-identical files). One thing is planted on purpose: both
// towers share a colour projection (image: mean colour; text: colour words), so "red" lands nearest to a red
// image and tests can check that text and image vectors live in one space.
//   npx tsx scripts/model/tiny-clip.ts OUT_DIR [--seed N] [--image-size 32]
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DataType, encodeModel, type GraphInit } from "./onnx-proto.ts";
import { createRng, normals } from "./random.ts";
import { buildTinyClipTokenizer } from "./tiny-tokenizer.ts";

/** CLIP's own normalisation constants (OpenAI CLIP), used by every CLIP preprocessor config. */
export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;

/** Colour words the tiny model aligns with image colour (sRGB 0–255). */
export const TINY_CLIP_COLOURS: Record<string, [number, number, number]> = {
  red: [230, 30, 30],
  green: [30, 170, 60],
  blue: [30, 60, 220],
  yellow: [240, 220, 40],
  orange: [245, 140, 20],
  purple: [130, 40, 160],
  pink: [245, 150, 190],
  brown: [120, 75, 35],
  black: [10, 10, 10],
  white: [250, 250, 250],
  grey: [128, 128, 128],
};

const OTHER_WORDS = [
  "a", "an", "the", "of", "and", "with", "in", "on", "art", "print", "poster", "painting", "drawing", "photo",
  "portrait", "landscape", "abstract", "flower", "flowers", "cat", "dog", "bird", "sea", "sky", "mountain", "city",
  "night", "sun", "tree", "forest", "house", "woman", "man", "face", "vintage", "modern", "minimal", "colorful",
];

export interface TinyClipOptions {
  seed?: number;
  /** Square input size of the vision tower (the preprocessor resizes and crops to it). */
  imageSize?: number;
  patchSize?: number;
  hiddenSize?: number;
  projectionDim?: number;
  /** Export the text tower with a fixed sequence length (as some exports, e.g. MobileCLIP's, do). */
  textSequenceLength?: number;
  /** Export the vision tower with a fixed batch size (as some single-image exports do). */
  visionBatch?: number;
}

export interface TinyClipInfo {
  dir: string;
  projectionDim: number;
  imageSize: number;
  vocabSize: number;
  files: string[];
}

/** Normalised-space colour vector, as the vision tower sees a uniform image of that colour. */
function colourFeature(rgb: readonly number[]): number[] {
  return rgb.map((v, c) => (v / 255 - CLIP_MEAN[c]!) / CLIP_STD[c]!);
}

function int64(values: number[]): BigInt64Array {
  return BigInt64Array.from(values.map((v) => BigInt(v)));
}

export async function writeTinyClip(dir: string, opts: TinyClipOptions = {}): Promise<TinyClipInfo> {
  const seed = opts.seed ?? 1234;
  const S = opts.imageSize ?? 32;
  const P = opts.patchSize ?? 4;
  const H = opts.hiddenSize ?? 64;
  const D = opts.projectionDim ?? 32;
  if (S % P !== 0) throw new Error(`imageSize ${S} must be a multiple of patchSize ${P}`);
  const G = S / P;
  const rng = createRng(seed);
  const batchDim = opts.visionBatch ?? "batch_size";
  const seqDim = opts.textSequenceLength ?? "sequence_length";

  const tok = buildTinyClipTokenizer([...Object.keys(TINY_CLIP_COLOURS), ...OTHER_WORDS]);
  const V = tok.vocab.size;

  // Shared colour projection: the same 3 → D matrix in both towers. Its scale makes colour a large but not the
  // only part of an embedding (the random towers add the rest).
  const wColour = normals(rng, 3 * D, 1.2);

  // Vision tower: patch means → Tanh(MatMul + bias) → projection, plus mean colour → colour projection.
  const wPatch = normals(rng, 3 * G * G * H, 1 / Math.sqrt(3 * G * G));
  const bPatch = normals(rng, H, 0.1);
  const wVisionProj = normals(rng, H * D, 1 / Math.sqrt(H));
  const vision: GraphInit = {
    name: "tiny_clip_vision",
    doc: `tiny CLIP vision tower, seed ${seed}`,
    inputs: [{ name: "pixel_values", type: DataType.FLOAT, dims: [batchDim, 3, S, S] }],
    outputs: [{ name: "image_embeds", type: DataType.FLOAT, dims: [batchDim, D] }],
    initializers: [
      { name: "patch.weight", dims: [3 * G * G, H], data: wPatch },
      { name: "patch.bias", dims: [H], data: bPatch },
      { name: "visual_projection.weight", dims: [H, D], data: wVisionProj },
      { name: "colour_projection.weight", dims: [3, D], data: wColour },
    ],
    nodes: [
      { op: "AveragePool", inputs: ["pixel_values"], outputs: ["patches"], attrs: { kernel_shape: [P, P], strides: [P, P] } },
      { op: "Flatten", inputs: ["patches"], outputs: ["patch_flat"], attrs: { axis: 1 } },
      { op: "MatMul", inputs: ["patch_flat", "patch.weight"], outputs: ["patch_mm"] },
      { op: "Add", inputs: ["patch_mm", "patch.bias"], outputs: ["patch_pre"] },
      { op: "Tanh", inputs: ["patch_pre"], outputs: ["pooled"] },
      { op: "MatMul", inputs: ["pooled", "visual_projection.weight"], outputs: ["visual_proj"] },
      { op: "ReduceMean", inputs: ["pixel_values"], outputs: ["mean_colour"], attrs: { axes: [2, 3], keepdims: 0 } },
      { op: "MatMul", inputs: ["mean_colour", "colour_projection.weight"], outputs: ["colour_proj"] },
      { op: "Add", inputs: ["visual_proj", "colour_proj"], outputs: ["image_embeds"] },
    ],
  };

  // Text tower: masked mean of token embeddings → Tanh → projection, plus masked mean of token colours →
  // colour projection. Masked means make padding irrelevant, as CLIP's causal mask + EOS pooling does.
  const tokenEmbedding = normals(rng, V * H, 1);
  const tokenColour = new Float32Array(V * 3);
  for (const [word, rgb] of Object.entries(TINY_CLIP_COLOURS)) {
    const id = tok.vocab.get(`${word}</w>`);
    if (id === undefined) throw new Error(`tiny tokenizer lacks the colour word ${word}`);
    // ×3: a one-word caption is averaged with <|startoftext|> and <|endoftext|>.
    tokenColour.set(colourFeature(rgb).map((v) => v * 3), id * 3);
  }
  const wTextProj = normals(rng, H * D, 1 / Math.sqrt(H));
  const text: GraphInit = {
    name: "tiny_clip_text",
    doc: `tiny CLIP text tower, seed ${seed}`,
    inputs: [
      { name: "input_ids", type: DataType.INT64, dims: ["batch_size", seqDim] },
      { name: "attention_mask", type: DataType.INT64, dims: ["batch_size", seqDim] },
    ],
    outputs: [{ name: "text_embeds", type: DataType.FLOAT, dims: ["batch_size", D] }],
    initializers: [
      { name: "token_embedding.weight", dims: [V, H], data: tokenEmbedding },
      { name: "token_colour.weight", dims: [V, 3], data: tokenColour },
      { name: "text_projection.weight", dims: [H, D], data: wTextProj },
      { name: "colour_projection.weight", dims: [3, D], data: wColour },
      { name: "axis_last", dims: [1], data: int64([2]) },
      { name: "axis_seq", dims: [1], data: int64([1]) },
      { name: "one", dims: [], data: new Float32Array([1]) },
    ],
    nodes: [
      { op: "Gather", inputs: ["token_embedding.weight", "input_ids"], outputs: ["tok"], attrs: { axis: 0 } },
      { op: "Gather", inputs: ["token_colour.weight", "input_ids"], outputs: ["col"], attrs: { axis: 0 } },
      { op: "Cast", inputs: ["attention_mask"], outputs: ["mask_f"], attrs: { to: DataType.FLOAT } },
      { op: "Unsqueeze", inputs: ["mask_f", "axis_last"], outputs: ["mask3"] },
      { op: "Mul", inputs: ["tok", "mask3"], outputs: ["tok_masked"] },
      { op: "Mul", inputs: ["col", "mask3"], outputs: ["col_masked"] },
      { op: "ReduceSum", inputs: ["tok_masked", "axis_seq"], outputs: ["tok_sum"], attrs: { keepdims: 0 } },
      { op: "ReduceSum", inputs: ["col_masked", "axis_seq"], outputs: ["col_sum"], attrs: { keepdims: 0 } },
      { op: "ReduceSum", inputs: ["mask3", "axis_seq"], outputs: ["count_raw"], attrs: { keepdims: 0 } },
      { op: "Max", inputs: ["count_raw", "one"], outputs: ["count"] },
      { op: "Div", inputs: ["tok_sum", "count"], outputs: ["tok_mean"] },
      { op: "Div", inputs: ["col_sum", "count"], outputs: ["col_mean"] },
      { op: "Tanh", inputs: ["tok_mean"], outputs: ["pooled"] },
      { op: "MatMul", inputs: ["pooled", "text_projection.weight"], outputs: ["text_proj"] },
      { op: "MatMul", inputs: ["col_mean", "colour_projection.weight"], outputs: ["colour_proj"] },
      { op: "Add", inputs: ["text_proj", "colour_proj"], outputs: ["text_embeds"] },
    ],
  };

  const config = {
    _name_or_path: "art-snob/tiny-clip",
    architectures: ["CLIPModel"],
    model_type: "clip",
    projection_dim: D,
    logit_scale_init_value: 2.6592,
    initializer_factor: 1.0,
    text_config: {
      model_type: "clip_text_model",
      vocab_size: V,
      hidden_size: H,
      intermediate_size: H,
      num_attention_heads: 1,
      num_hidden_layers: 1,
      max_position_embeddings: 77,
      projection_dim: D,
      bos_token_id: tok.bosId,
      eos_token_id: tok.eosId,
      pad_token_id: tok.eosId,
    },
    vision_config: {
      model_type: "clip_vision_model",
      hidden_size: H,
      intermediate_size: H,
      num_attention_heads: 1,
      num_hidden_layers: 1,
      image_size: S,
      patch_size: P,
      num_channels: 3,
      projection_dim: D,
    },
    art_snob: {
      generator: "scripts/model/tiny-clip.ts",
      seed,
      note: "random weights for tests; not a trained model",
    },
  };
  const preprocessor = {
    image_processor_type: "CLIPImageProcessor",
    feature_extractor_type: "CLIPFeatureExtractor",
    do_resize: true,
    size: { shortest_edge: S },
    resample: 3,
    do_center_crop: true,
    crop_size: { height: S, width: S },
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: [...CLIP_MEAN],
    image_std: [...CLIP_STD],
    do_convert_rgb: true,
  };

  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const files: [string, string | Uint8Array][] = [
    ["config.json", json(config)],
    ["preprocessor_config.json", json(preprocessor)],
    ["tokenizer.json", json(tok.tokenizerJson)],
    ["tokenizer_config.json", json(tok.tokenizerConfig)],
    ["onnx/vision_model.onnx", encodeModel(vision)],
    ["onnx/text_model.onnx", encodeModel(text)],
  ];
  await mkdir(join(dir, "onnx"), { recursive: true });
  for (const [name, content] of files) await writeFile(join(dir, name), content);
  return { dir, projectionDim: D, imageSize: S, vocabSize: V, files: files.map(([n]) => n) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const out = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  if (!out) {
    console.error("usage: npx tsx scripts/model/tiny-clip.ts OUT_DIR [--seed N] [--image-size 32]");
    process.exit(2);
  }
  const info = await writeTinyClip(resolve(out), { seed: flag("--seed"), imageSize: flag("--image-size") });
  console.log(JSON.stringify(info));
}
