// Image intake: validate by decoding (format, pixel cap, minimum size), name by sha256 of the
// original bytes, store the original plus WebP variants (100/250/500 px and a large one) each with a
// JPEG fallback, and a perceptual hash for near-duplicates. Writes are content-addressed and
// `ifAbsent`, so re-running never rewrites an object.
import sharp, { type Metadata, type Sharp } from "sharp";
import { IMAGE_LARGE_WIDTH, IMAGE_VARIANT_WIDTHS, type ImageVariants } from "../../common/domain.ts";
import { dHash } from "./phash.ts";
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
  /** 256-bit dHash, 64 hex chars. */
  phash: string;
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

const WIDTHS = [...IMAGE_VARIANT_WIDTHS, IMAGE_LARGE_WIDTH] as const;
const ENCODINGS = [
  { ext: "webp", prefix: "w", contentType: "image/webp" },
  { ext: "jpg", prefix: "jpg", contentType: "image/jpeg" },
] as const;

export async function storeImage(bucket: Bucket, bytes: Uint8Array, limits: ImageLimits): Promise<StoredImage> {
  const { width, height, format } = await probeImage(bytes, limits);
  const hash = await sha256Hex(bytes);
  const originalKey = imageKey(hash, "original", FORMATS[format]);
  const variants: ImageVariants = { original: originalKey };
  const jobs: Array<{ key: string; width: number; enc: (typeof ENCODINGS)[number] }> = [];
  const largestSmall = IMAGE_VARIANT_WIDTHS[IMAGE_VARIANT_WIDTHS.length - 1]!;
  for (const w of WIDTHS)
    for (const enc of ENCODINGS) {
      // Never enlarged: an original no wider than the 500 px variant has that as its large variant too.
      if (w === IMAGE_LARGE_WIDTH && width <= largestSmall) {
        variants[`${enc.prefix}${w}`] = imageKey(hash, largestSmall, enc.ext);
        continue;
      }
      const key = imageKey(hash, w, enc.ext);
      variants[`${enc.prefix}${w}`] = key;
      jobs.push({ key, width: w, enc });
    }
  let written = 0;
  const cache = "public, max-age=31536000, immutable";
  if (await bucket.put(originalKey, bytes, { ifAbsent: true, cacheControl: cache })) written++;
  const missing = [];
  for (const j of jobs) if (!(await bucket.head(j.key))) missing.push(j);
  // One decoder, cloned per output; the pixel cap guards every decode against decompression bombs.
  // (Decoding once to raw RGBA was measured slower: WebP then encodes an alpha plane for every image.)
  const decoded = sharp(bytes, { limitInputPixels: limits.maxPixels }).rotate();
  const phash = await dHash(decoded.clone()).catch((e: Error) => {
    throw new ImageError(`cannot decode image: ${e.message}`);
  });
  if (missing.length > 0) {
    const rendered = await Promise.all(
      missing.map(async (j) => {
        try {
          const resized = decoded.clone().resize({ width: j.width, withoutEnlargement: true });
          // effort 2: about half the encode time of the default for a negligible size difference.
          return j.enc.ext === "webp" ? await resized.webp({ quality: 82, effort: 2 }).toBuffer() : await resized.flatten({ background: "#ffffff" }).jpeg({ quality: 82, mozjpeg: false }).toBuffer();
        } catch (e) {
          throw new ImageError(`cannot render ${j.key}: ${(e as Error).message}`);
        }
      }),
    );
    for (const [i, j] of missing.entries()) {
      if (await bucket.put(j.key, rendered[i]!, { ifAbsent: true, cacheControl: cache, contentType: j.enc.contentType })) written++;
    }
  }
  return { hash, width, height, format, variants, phash, written };
}
