// Maps database rows to the API's JSON shapes (common/api.ts). Pure functions.
import type { ArtworkDetail, ArtworkSummary } from "../../common/api.ts";
import { imageKey, imageUrlPath, imageVariantPath } from "../../common/bucket/keys.ts";
import { IMAGE_VARIANT_WIDTHS, type ImageRef } from "../../common/domain.ts";
import type { ArtworkRow } from "../repositories/artworks.ts";

const DEFAULT_WIDTH = 500;

/** A variant value may be a bucket key ("images/…"), an /img path, or an absolute URL. */
function toUrl(value: string): string {
  if (value.startsWith("images/")) return imageUrlPath(value);
  return value;
}

/** A content hash as stored: 64 lower-case hex digits. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * True when a summary's image can be derived from the hash alone: every grid-size WebP variant is at its
 * standard key. Other variants (JPEG fallbacks, the large one, the original) never reach a summary.
 */
export function standardVariants(hash: string | null, variants: Record<string, string> | null): boolean {
  if (!hash || !SHA256_HEX.test(hash) || !variants) return false;
  return IMAGE_VARIANT_WIDTHS.every((w) => variants[`w${w}`] === imageKey(hash, w));
}

export function imageRef(row: Pick<ArtworkRow, "imageHash" | "imageVariants" | "imageWidth" | "imageHeight">): ImageRef {
  const variants = row.imageVariants ?? {};
  const srcset: ImageRef["srcset"] = [];
  const derive = row.imageHash !== null && row.imageHash !== undefined && Object.keys(variants).length === 0 && SHA256_HEX.test(row.imageHash);
  for (const width of IMAGE_VARIANT_WIDTHS) {
    const stored = variants[`w${width}`];
    if (stored) srcset.push({ width, url: toUrl(stored) });
    else if (derive) srcset.push({ width, url: imageVariantPath(row.imageHash!, width) });
  }
  const best = srcset.find((s) => s.width === DEFAULT_WIDTH) ?? srcset[srcset.length - 1];
  const url = best?.url ?? (variants.original ? toUrl(variants.original) : "");
  return { width: row.imageWidth ?? null, height: row.imageHeight ?? null, srcset, url };
}

/** The columns a grid item needs; both the per-request rows and the catalogue snapshot's rows have them. */
export type SummaryRow = Pick<
  ArtworkRow,
  "id" | "title" | "artist" | "shopName" | "orientation" | "minPriceCents" | "currency" | "imageHash" | "imageVariants" | "imageWidth" | "imageHeight"
>;

export function toSummary(row: SummaryRow): ArtworkSummary {
  return {
    id: row.id,
    title: row.title,
    artist: row.artist ?? null,
    shop: row.shopName,
    orientation: row.orientation ?? null,
    fromPriceCents: row.minPriceCents ?? null,
    currency: row.currency ?? null,
    image: imageRef(row),
  };
}

export function buyPath(id: number): string {
  return `/go/${id}`;
}

export function toDetail(row: ArtworkRow): ArtworkDetail {
  return {
    ...toSummary(row),
    description: row.description ?? null,
    tags: row.tags ?? [],
    category: row.category ?? null,
    sizes: row.sizes ?? [],
    canonicalUrl: row.canonicalUrl,
    buyUrl: buyPath(row.id),
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    status: row.status,
  };
}
