// Encoded image bytes → RGB RawImage for the CLIP processor. sharp does the heavy part off the main thread
// (libuv pool), so decoding the next batch overlaps with inference of the current one.
//  - EXIF orientation applied; transparency flattened onto white (prints hang on white walls; transformers'
//    rgb() would keep whatever colour hides under alpha 0, often black).
//  - Large images are shrunk here, with sharp's antialiased cubic filter, to exactly the size the processor
//    would resize to. The processor's own resize then has nothing to do; it would otherwise use an affine
//    bicubic without antialiasing (aliasing on big downscales) and copy the full-size pixels through sharp again.
import { RawImage } from "@huggingface/transformers";
import sharp from "sharp";

/** The part of transformers.js's ImageProcessor used here (public fields/methods of the JS class). */
export interface SizingProcessor {
  do_resize?: boolean;
  size?: unknown;
  get_resize_output_image_size(image: { size: [number, number] }, size: unknown): [number, number];
}

export async function decodeForClip(bytes: Uint8Array, processor: SizingProcessor): Promise<RawImage> {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) throw new Error("empty image");
  const meta = await sharp(bytes).metadata();
  const w = meta.autoOrient?.width ?? meta.width;
  const h = meta.autoOrient?.height ?? meta.height;
  if (!w || !h) throw new Error(`cannot read image size (${meta.format ?? "unknown format"})`);
  let pipeline = sharp(bytes).rotate().flatten({ background: "#ffffff" }).toColourspace("srgb");
  if (processor.do_resize !== false && processor.size !== undefined) {
    const [tw, th] = processor.get_resize_output_image_size({ size: [w, h] }, processor.size);
    if (tw > 0 && th > 0 && tw < w && th < h) pipeline = pipeline.resize(tw, th, { fit: "fill", kernel: "cubic" });
  }
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return new RawImage(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height, 3);
}
