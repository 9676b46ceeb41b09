// CLIP embedders over a tiny generated model (scripts/model/tiny-clip.ts) through the real loading code:
// transformers.js + onnxruntime-node from a local directory, nothing from the network.
import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import { TINY_CLIP_COLOURS, writeTinyClip } from "../../../scripts/model/tiny-clip.ts";
import {
  clipSettingsFromEnv,
  createClipImageEmbedder,
  createClipTextEmbedder,
  type ClipImageEmbedder,
} from "./index.ts";
import type { TextEmbedder } from "../embedder.ts";

let tmp: string;
let modelDir: string;
let images: ClipImageEmbedder;
let texts: TextEmbedder;

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const norm = (a: Float32Array) => Math.sqrt(dot(a, a));
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

async function solid(rgb: readonly number[], width = 120, height = 90, format: "png" | "jpeg" | "webp" = "png"): Promise<Uint8Array> {
  const [r, g, b] = rgb as [number, number, number];
  const img = sharp({ create: { width, height, channels: 3, background: { r, g, b } } });
  return new Uint8Array(await img[format]().toBuffer());
}

/** Left half one colour, right half another: same mean colour when mirrored, different layout. */
async function halves(left: readonly number[], right: readonly number[], size = 48): Promise<Uint8Array> {
  const data = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.set(x < size / 2 ? left : right, (y * size + x) * 3);
  return new Uint8Array(await sharp(data, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer());
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "clip-test-"));
  modelDir = join(tmp, "tiny-clip");
  await writeTinyClip(modelDir);
  images = await createClipImageEmbedder({ modelDir, modelId: "art-snob/tiny-clip", batchSize: 4, threads: 2 });
  texts = await createClipTextEmbedder({ modelDir, modelId: "art-snob/tiny-clip" });
});
after(async () => {
  await images?.close?.();
  await texts?.close?.();
  await rm(tmp, { recursive: true, force: true });
});

describe("image embedder", () => {
  test("id, kind and dim come from the model; vectors are L2-normalised", async () => {
    assert.equal(images.id, "clip:art-snob/tiny-clip");
    assert.equal(images.kind, "clip");
    assert.equal(images.dim, 32);
    const [v] = await images.embedImages([await solid([200, 120, 40])]);
    assert.equal(v!.length, 32);
    assert.ok(Math.abs(norm(v!) - 1) < 1e-5);
  });

  test("deterministic, and a second embedder over the same files gives the same vectors", async () => {
    const bytes = await halves([230, 30, 30], [30, 60, 220]);
    const [a] = await images.embedImages([bytes]);
    const [b] = await images.embedImages([bytes]);
    assert.deepEqual(a, b);
    const other = await createClipImageEmbedder({ modelDir, batchSize: 1, threads: 1 });
    try {
      assert.equal(other.id, "clip:tiny-clip", "model id defaults to the directory name");
      const [c] = await other.embedImages([bytes]);
      assert.ok(maxDiff(a!, c!) < 1e-5);
    } finally {
      await other.close?.();
    }
  });

  test("a batch (split into several inference calls) equals one-by-one results, in order", async () => {
    const colours = Object.values(TINY_CLIP_COLOURS).slice(0, 7);
    const inputs = await Promise.all(colours.map((c, i) => (i % 2 ? solid(c, 200, 100, "jpeg") : halves(c, [255, 255, 255]))));
    const batch = await images.embedImages(inputs); // batchSize 4 → two calls, the second decoded during the first
    assert.equal(batch.length, inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const [single] = await images.embedImages([inputs[i]!]);
      assert.ok(maxDiff(batch[i]!, single!) < 1e-5, `image ${i}`);
    }
    assert.ok(dot(batch[0]!, batch[2]!) < 0.999, "different images give different vectors");
  });

  test("layout matters, not only mean colour", async () => {
    const [a, b] = await images.embedImages([await halves([230, 30, 30], [30, 60, 220]), await halves([30, 60, 220], [230, 30, 30])]);
    assert.ok(dot(a!, b!) < 0.95);
  });

  test("transparency is flattened onto white; formats and sizes decode alike", async () => {
    const clear = new Uint8Array(
      await sharp({ create: { width: 80, height: 80, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer(),
    );
    const [t, w, big, webp] = await images.embedImages([
      clear,
      await solid([255, 255, 255], 80, 80),
      await solid([255, 255, 255], 1600, 1200, "jpeg"),
      await solid([255, 255, 255], 300, 300, "webp"),
    ]);
    assert.ok(maxDiff(t!, w!) < 1e-4);
    assert.ok(maxDiff(big!, w!) < 1e-3);
    assert.ok(maxDiff(webp!, w!) < 1e-3);
  });

  test("an undecodable image fails its batch with the index; an empty batch is empty", async () => {
    const good = await solid([10, 20, 30]);
    await assert.rejects(images.embedImages([good, good, new Uint8Array([1, 2, 3, 4])]), /image 2/);
    await assert.rejects(images.embedImages([good, new Uint8Array(0)]), /image 1: empty image/);
    assert.deepEqual(await images.embedImages([]), []);
    const [after] = await images.embedImages([good]);
    assert.equal(after!.length, 32, "still usable after a failed batch");
  });

  test("reports throughput", () => {
    const s = images.stats();
    assert.ok(s.images > 0 && s.seconds > 0 && s.imagesPerSecond > 0);
  });
});

describe("text embedder", () => {
  test("same id and dim as the image side; normalised; deterministic", async () => {
    assert.equal(texts.id, images.id);
    assert.equal(texts.dim, images.dim);
    const [a, b] = await texts.embedTexts(["a red painting", "a red painting"]);
    assert.equal(a!.length, 32);
    assert.ok(Math.abs(norm(a!) - 1) < 1e-5);
    assert.deepEqual(a, b);
  });

  test("padding in a batch does not change a vector; CLIP normalisation (case, spaces) applies", async () => {
    const list = ["sea", "a blue sea with a sky at night and a modern house", "RED", "  red\n"];
    const batch = await texts.embedTexts(list);
    for (let i = 0; i < list.length; i++) {
      const [single] = await texts.embedTexts([list[i]!]);
      assert.ok(maxDiff(batch[i]!, single!) < 1e-5, list[i]);
    }
    assert.ok(maxDiff(batch[2]!, batch[3]!) < 1e-6);
    assert.ok(dot(batch[0]!, batch[1]!) < 0.999);
  });

  test("long text is truncated to the model's 77 tokens, empty text still embeds", async () => {
    const [long, empty] = await texts.embedTexts([Array.from({ length: 300 }, (_, i) => `cat${i % 10}`).join(" "), ""]);
    assert.equal(long!.length, 32);
    assert.equal(empty!.length, 32);
  });

  test("text and image vectors share one space: a colour word is nearest its colour", async () => {
    const names = ["red", "green", "blue", "yellow", "black", "white"];
    const imgs = await images.embedImages(await Promise.all(names.map((n) => solid(TINY_CLIP_COLOURS[n]!))));
    const caps = await texts.embedTexts(names);
    for (let i = 0; i < names.length; i++) {
      const scores = imgs.map((v) => dot(caps[i]!, v));
      assert.equal(names[scores.indexOf(Math.max(...scores))], names[i], `"${names[i]}" → ${scores.map((s) => s.toFixed(2))}`);
    }
  });

  test("bad input is a clear error", async () => {
    await assert.rejects(texts.embedTexts([1 as unknown as string]), /array of strings/);
  });
});

describe("fixed-shape exports", () => {
  test("a fixed text length and a fixed vision batch give the same vectors as the dynamic export", async () => {
    const dir = join(tmp, "fixed");
    await writeTinyClip(dir, { textSequenceLength: 77, visionBatch: 3 }); // same seed → same weights
    const fixedImages = await createClipImageEmbedder({ modelDir: dir, batchSize: 16, threads: 1 });
    const fixedTexts = await createClipTextEmbedder({ modelDir: dir });
    try {
      const inputs = await Promise.all(["red", "green", "blue", "pink", "brown"].map((n) => solid(TINY_CLIP_COLOURS[n]!)));
      const [a, b] = await Promise.all([fixedImages.embedImages(inputs), images.embedImages(inputs)]);
      assert.equal(a.length, 5, "3 + a zero-padded 2");
      a.forEach((v, i) => assert.ok(maxDiff(v, b[i]!) < 1e-5, `image ${i}`));
      const caps = ["red", "a blue sea with a sky at night"];
      const [ta, tb] = await Promise.all([fixedTexts.embedTexts(caps), texts.embedTexts(caps)]);
      ta.forEach((v, i) => assert.ok(maxDiff(v, tb[i]!) < 1e-5, caps[i]));
    } finally {
      await fixedImages.close();
      await fixedTexts.close?.();
    }
  });
});

describe("model directory errors", () => {
  test("missing directory, missing files, corrupt JSON, LFS pointer, corrupt ONNX", async () => {
    await assert.rejects(createClipImageEmbedder({ modelDir: join(tmp, "nope") }), /CLIP model directory not found: .*nope/);
    await assert.rejects(createClipTextEmbedder({ modelDir: "" }), /no CLIP model directory/);

    const broken = join(tmp, "broken");
    await mkdir(broken);
    await assert.rejects(createClipImageEmbedder({ modelDir: broken }), /lacks config\.json/);

    await cp(modelDir, broken, { recursive: true });
    await rm(join(broken, "onnx", "vision_model.onnx"));
    await assert.rejects(createClipImageEmbedder({ modelDir: broken }), /lacks onnx\/vision_model\.onnx/);
    await assert.rejects(createClipImageEmbedder({ modelDir: broken, dtype: "q8" }), /lacks onnx\/vision_model_quantized\.onnx/);

    await writeFile(join(broken, "onnx", "vision_model.onnx"), "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 1\n");
    await assert.rejects(createClipImageEmbedder({ modelDir: broken }), /Git LFS pointer/);

    await writeFile(join(broken, "onnx", "vision_model.onnx"), Buffer.alloc(4096, 7));
    await assert.rejects(createClipImageEmbedder({ modelDir: broken }), (err: Error) => {
      assert.equal(err.name, "ClipModelError");
      assert.match(err.message, /could not load .*onnx\/vision_model\.onnx/);
      return true;
    });

    await writeFile(join(broken, "tokenizer.json"), "{ not json");
    await assert.rejects(createClipTextEmbedder({ modelDir: broken }), /tokenizer\.json is not a valid JSON object/);

    await writeFile(join(broken, "config.json"), JSON.stringify({ model_type: "clip", projection_dim: 99 }));
    await cp(join(modelDir, "onnx", "vision_model.onnx"), join(broken, "onnx", "vision_model.onnx"));
    await assert.rejects(createClipImageEmbedder({ modelDir: broken }), /projection_dim 99 but the vision model outputs 32/);
  });

  test("settings from the environment", () => {
    assert.equal(clipSettingsFromEnv({}), null);
    assert.equal(clipSettingsFromEnv({ CLIP_MODEL_DIR: "" }), null);
    assert.deepEqual(clipSettingsFromEnv({ CLIP_MODEL_DIR: "/m", CLIP_MODEL_ID: "Xenova/clip-vit-base-patch32", CLIP_BATCH_SIZE: "8" }), {
      modelDir: "/m",
      modelId: "Xenova/clip-vit-base-patch32",
      dtype: undefined,
      batchSize: 8,
      threads: undefined,
    });
    assert.throws(() => clipSettingsFromEnv({ CLIP_MODEL_DIR: "/m", CLIP_MODEL_DTYPE: "int3" }), /CLIP_MODEL_DTYPE/);
  });
});
