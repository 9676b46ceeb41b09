// Where things live in the bucket. Image names are content-addressed (sha256 of the original
// bytes), so writes are idempotent and URLs can be cached forever.
import type { ImageLargeWidth, ImageVariantWidth } from "../domain.ts";

export function imageKey(hash: string, variant: ImageVariantWidth | ImageLargeWidth | "original", ext = "webp"): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a sha256 hex digest: ${hash}`);
  const name = variant === "original" ? `original.${ext}` : `w${variant}.${ext}`;
  return `images/${hash.slice(0, 2)}/${hash}/${name}`;
}

/** Public URL path of an image variant, straight from its hash (same as imageUrlPath(imageKey(…))). */
export function imageVariantPath(hash: string, variant: ImageVariantWidth | ImageLargeWidth, ext = "webp"): string {
  return `/img/${hash.slice(0, 2)}/${hash}/w${variant}.${ext}`;
}

/** Public URL path for a bucket image key; the edge serves `/img/<key minus "images/">`. */
export function imageUrlPath(key: string): string {
  return `/img/${key.replace(/^images\//, "")}`;
}

export const ARTIFACTS_PREFIX = "artifacts";
/** Pointer to the published artifact version; replaced atomically by the export's publish step. */
export const CURRENT_POINTER_KEY = `${ARTIFACTS_PREFIX}/CURRENT.json`;

export function artifactKey(version: string, file: string): string {
  return `${ARTIFACTS_PREFIX}/v/${version}/${file}`;
}
