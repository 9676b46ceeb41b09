// Image intake: validate by decoding (format, pixel cap, minimum size), name by sha256 of the
// original bytes, store the original plus WebP variants. Writes are content-addressed and
// `ifAbsent`, so re-running never rewrites an object.
import sharp, { type Metadata } from "sharp";
import { IMAGE_VARIANT_WIDTHS, type ImageVariants } from "../../common/domain.ts";
import { imageKey } from "../../common/bucket/keys.ts";
import type { Bucket } from "../../common/bucket/types.ts";
import { sha256Hex } from "../../common/artifacts/format.ts";

const FORMATS: Record<string, string> = { jpeg: "jpg", png: "png", webp: "webp", gif: "gif", avif: "avif", tiff: "tiff" };

export interface ImageLimits {
  minWidth: number;
  minHeight: number;
  maxPixels: number;
}

export interface StoredImage {
  hash: string;
  width: number;
  height: number;
  format: string;
  variants: ImageVariants;
  /** Objects actually written (0 when everything already existed). */
  written: number;
}

export class ImageError extends Error {}

export async function probeImage(bytes: Uint8Array, limits: ImageLimits): Promise<{ width: number; height: number; format: string }> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: limits.maxPixels }).metadata();
  } catch (e) {
    throw new ImageError(`not a decodable image: ${(e as Error).message}`);
  }
  const format = meta.format ?? "unknown";
  if (!FORMATS[format]) throw new ImageError(`unsupported image format ${format}`);
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > limits.maxPixels) throw new ImageError(`image of ${width}×${height} exceeds ${limits.maxPixels} pixels`);
  if (width < limits.minWidth || height < limits.minHeight) throw new ImageError(`image of ${width}×${height} is below ${limits.minWidth}×${limits.minHeight}`);
  return { width, height, format };
}

export async function storeImage(bucket: Bucket, bytes: Uint8Array, limits: ImageLimits): Promise<StoredImage> {
  const { width, height, format } = await probeImage(bytes, limits);
  const hash = await sha256Hex(bytes);
  const originalKey = imageKey(hash, "original", FORMATS[format]);
  const variants: ImageVariants = { original: originalKey };
  for (const w of IMAGE_VARIANT_WIDTHS) variants[`w${w}`] = imageKey(hash, w, "webp");
  let written = 0;
  const cache = "public, max-age=31536000, immutable";
  if (await bucket.put(originalKey, bytes, { ifAbsent: true, cacheControl: cache })) written++;
  const missing: number[] = [];
  for (const w of IMAGE_VARIANT_WIDTHS) if (!(await bucket.head(imageKey(hash, w, "webp")))) missing.push(w);
  if (missing.length > 0) {
    // Full decode only when something is missing; the pixel cap guards against decompression bombs.
    const decoded = sharp(bytes, { limitInputPixels: limits.maxPixels }).rotate();
    const rendered = await Promise.all(
      missing.map(async (w) => {
        try {
          // effort 2: about half the encode time of the default for a negligible size difference.
          return await decoded.clone().resize({ width: w, withoutEnlargement: true }).webp({ quality: 82, effort: 2 }).toBuffer();
        } catch (e) {
          throw new ImageError(`cannot render ${w}px variant: ${(e as Error).message}`);
        }
      }),
    );
    for (const [i, w] of missing.entries()) {
      if (await bucket.put(imageKey(hash, w as (typeof IMAGE_VARIANT_WIDTHS)[number], "webp"), rendered[i]!, { ifAbsent: true, cacheControl: cache, contentType: "image/webp" })) written++;
    }
  }
  return { hash, width, height, format, variants, written };
}
