// Checks a local CLIP model directory (Hugging Face layout) before transformers.js touches it, so a wrong path,
// a half-copied download or a Git LFS pointer gives one clear message instead of a deep library error.
//   <dir>/config.json                      model config (projection_dim)
//   <dir>/preprocessor_config.json         image side: CLIPImageProcessor settings
//   <dir>/tokenizer.json, tokenizer_config.json   text side
//   <dir>/onnx/vision_model<suffix>.onnx   image tower → image_embeds
//   <dir>/onnx/text_model<suffix>.onnx     text tower → text_embeds
// <suffix> is "" for fp32, "_quantized" for q8, "_fp16" for fp16 (transformers.js naming).
import { open, readFile, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";

export type ClipDtype = "fp32" | "fp16" | "q8";
const SUFFIX: Record<ClipDtype, string> = { fp32: "", fp16: "_fp16", q8: "_quantized" };

export class ClipModelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ClipModelError";
  }
}

export interface ClipModelDir {
  /** Absolute path. */
  dir: string;
  /** The name used in embedder ids: the option, else the directory name. */
  modelId: string;
  dtype: ClipDtype;
  config: Record<string, unknown>;
  /** projection_dim from config.json, when it says. The first inference confirms the real width. */
  projectionDim: number | undefined;
}

export type Tower = "vision" | "text";

export function onnxFile(tower: Tower, dtype: ClipDtype): string {
  return `onnx/${tower}_model${SUFFIX[dtype]}.onnx`;
}

async function readJson(dir: string, name: string): Promise<Record<string, unknown>> {
  const path = join(dir, name);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ClipModelError(`CLIP model directory ${dir} lacks ${name} (expected the Hugging Face layout: see docs/models.md)`, { cause: err });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not a JSON object");
    return value as Record<string, unknown>;
  } catch (err) {
    const hint = text.startsWith("version https://git-lfs") ? " (it is a Git LFS pointer: run `git lfs pull`)" : "";
    throw new ClipModelError(`${path} is not a valid JSON object${hint}: ${(err as Error).message}`, { cause: err });
  }
}

/** An ONNX file must exist, be non-trivial and not be an LFS pointer; the runtime checks the rest when loading. */
async function checkOnnx(dir: string, name: string): Promise<void> {
  const path = join(dir, name);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) {
    throw new ClipModelError(`CLIP model directory ${dir} lacks ${name} (expected the Hugging Face layout: see docs/models.md)`);
  }
  const fh = await open(path, "r");
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await fh.read(head, 0, 64, 0);
    if (head.subarray(0, bytesRead).toString("latin1").startsWith("version https://git-lfs")) {
      throw new ClipModelError(`${path} is a Git LFS pointer, not the model: run \`git lfs pull\` in ${dir}`);
    }
  } finally {
    await fh.close();
  }
  if (info.size < 64) throw new ClipModelError(`${path} is too small (${info.size} bytes) to be an ONNX model`);
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined;
}

export async function inspectClipModelDir(
  modelDir: string,
  towers: Tower[],
  opts: { modelId?: string; dtype?: ClipDtype } = {},
): Promise<ClipModelDir> {
  if (!modelDir) throw new ClipModelError("no CLIP model directory given (set CLIP_MODEL_DIR)");
  const dir = resolve(modelDir);
  const info = await stat(dir).catch(() => null);
  if (!info) throw new ClipModelError(`CLIP model directory not found: ${dir}`);
  if (!info.isDirectory()) throw new ClipModelError(`CLIP model path is not a directory: ${dir}`);
  const dtype = opts.dtype ?? "fp32";
  if (!(dtype in SUFFIX)) throw new ClipModelError(`unknown CLIP dtype "${dtype}" (use fp32, fp16 or q8)`);

  const config = await readJson(dir, "config.json");
  if (towers.includes("vision")) {
    await readJson(dir, "preprocessor_config.json");
    await checkOnnx(dir, onnxFile("vision", dtype));
  }
  if (towers.includes("text")) {
    await readJson(dir, "tokenizer.json");
    await readJson(dir, "tokenizer_config.json");
    await checkOnnx(dir, onnxFile("text", dtype));
  }
  const sub = (k: string) => (config[k] as Record<string, unknown> | undefined) ?? {};
  const projectionDim =
    positiveInt(config.projection_dim) ?? positiveInt(sub("vision_config").projection_dim) ?? positiveInt(sub("text_config").projection_dim);
  const modelId = (opts.modelId ?? "").trim() || basename(dir);
  return { dir, modelId, dtype, config, projectionDim };
}

/** The embedder id names the feature cache and artifacts: same model files → same id. */
export function clipEmbedderId(m: Pick<ClipModelDir, "modelId" | "dtype">): string {
  return `clip:${m.modelId}${m.dtype === "fp32" ? "" : `@${m.dtype}`}`;
}
