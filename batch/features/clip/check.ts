// Smoke check for a CLIP model directory: loads both towers with the same code the pipeline uses, embeds a few
// generated images and captions, and prints one JSON line. With a real CLIP model "a red square" must rank
// the red image first, and so on (colourTop1 = 3/3); the tiny test model passes it by construction.
//   npx tsx batch/features/clip/check.ts models/clip-vit-base-patch32 [--id Xenova/clip-vit-base-patch32] [--dtype q8]
import sharp from "sharp";
import { createClipImageEmbedder } from "./image-embedder.ts";
import type { ClipDtype } from "./model-dir.ts";
import { createClipTextEmbedder } from "./text-embedder.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const modelDir = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--")) ?? process.env.CLIP_MODEL_DIR;
if (!modelDir) {
  console.error("usage: npx tsx batch/features/clip/check.ts MODEL_DIR [--id MODEL_ID] [--dtype fp32|q8|fp16]");
  process.exit(2);
}
const opts = { modelDir, modelId: flag("--id"), dtype: flag("--dtype") as ClipDtype | undefined };

try {
  const started = performance.now();
  const images = await createClipImageEmbedder(opts);
  const texts = await createClipTextEmbedder(opts);
  const loadSeconds = (performance.now() - started) / 1000;
  const colours: Record<string, [number, number, number]> = { red: [230, 30, 30], green: [30, 170, 60], blue: [30, 60, 220] };
  const squares = await Promise.all(
    Object.values(colours).map(async ([r, g, b]) =>
      new Uint8Array(await sharp({ create: { width: 256, height: 256, channels: 3, background: { r, g, b } } }).png().toBuffer()),
    ),
  );
  const iv = await images.embedImages(squares);
  const tv = await texts.embedTexts(Object.keys(colours).map((c) => `a ${c} square`));
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
  const top1 = tv.filter((t, i) => {
    const scores = iv.map((v) => dot(t, v));
    return scores.indexOf(Math.max(...scores)) === i;
  }).length;
  // Throughput on 64 noisy 640×480 JPEGs (decode + preprocess + inference).
  const noisy = await Promise.all(
    Array.from({ length: 64 }, async () =>
      new Uint8Array(await sharp({ create: { width: 640, height: 480, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 50 } } }).jpeg().toBuffer()),
    ),
  );
  const t = performance.now();
  await images.embedImages(noisy);
  const imagesPerSecond = noisy.length / ((performance.now() - t) / 1000);
  console.log(
    JSON.stringify({
      id: images.id,
      dim: images.dim,
      textDim: texts.dim,
      loadSeconds: +loadSeconds.toFixed(2),
      colourTop1: `${top1}/3`,
      imagesPerSecond: +imagesPerSecond.toFixed(1),
    }),
  );
  await images.close();
  await texts.close?.();
} catch (err) {
  console.error(`CLIP check failed: ${(err as Error).message}`);
  process.exit(1);
}
