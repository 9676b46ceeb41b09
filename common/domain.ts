// Domain types shared by batch, edge and site. One definition, imported everywhere.
import { z } from "zod";

export const ORIENTATIONS = ["portrait", "landscape", "square"] as const;
export const OrientationSchema = z.enum(ORIENTATIONS);
export type Orientation = z.infer<typeof OrientationSchema>;

export const ARTWORK_STATUSES = ["active", "removed"] as const;
export type ArtworkStatus = (typeof ARTWORK_STATUSES)[number];

/** One purchasable print size. Prices are in minor units (cents) to avoid float money. */
export const PrintSizeSchema = z.object({
  /** Named size as the shop labels it, e.g. "Medium" or "12x16". */
  label: z.string().min(1).max(80),
  widthCm: z.number().positive().nullable(),
  heightCm: z.number().positive().nullable(),
  priceCents: z.number().int().nonnegative().nullable(),
  currency: z.string().length(3),
  /** Shop-specific size key used in the affiliate URL, if any. */
  key: z.string().max(80).optional(),
});
export type PrintSize = z.infer<typeof PrintSizeSchema>;

/** Image widths the site uses; every stored image has these WebP variants. */
export const IMAGE_VARIANT_WIDTHS = [100, 250, 500] as const;
export type ImageVariantWidth = (typeof IMAGE_VARIANT_WIDTHS)[number];
/** Width of the large variant (detail view, zoom); never enlarged beyond the original. */
export const IMAGE_LARGE_WIDTH = 1200;
export type ImageLargeWidth = typeof IMAGE_LARGE_WIDTH;
/** WebP variants `w<width>`, JPEG fallbacks `jpg<width>` (for clients without WebP), and the original. */
export type ImageVariants = Partial<Record<`w${ImageVariantWidth | ImageLargeWidth}` | `jpg${ImageVariantWidth | ImageLargeWidth}`, string>> & { original?: string };

export const ACTION_KINDS = ["like", "dislike", "skip", "view", "click", "search", "undo"] as const;
export const ActionKindSchema = z.enum(ACTION_KINDS);
export type ActionKind = z.infer<typeof ActionKindSchema>;

/** What the API returns for a work in a grid (feeds, similar, search). */
export interface ArtworkSummary {
  id: number;
  title: string;
  artist: string | null;
  shop: string;
  orientation: Orientation | null;
  /** Lowest listed price in minor units, or null when the shop lists none. */
  fromPriceCents: number | null;
  currency: string | null;
  image: ImageRef;
}

/** Image URLs by width, served through the bucket route (`/img/...`). */
export interface ImageRef {
  width: number | null;
  height: number | null;
  /** Map of variant width → URL path. */
  srcset: Array<{ width: number; url: string }>;
  /** Best default URL (500 px variant). */
  url: string;
}

/** Detail view of one work. */
export interface ArtworkDetail extends ArtworkSummary {
  description: string | null;
  tags: string[];
  category: string | null;
  sizes: PrintSize[];
  canonicalUrl: string;
  /** Click-out path through `/go/:id` — never the raw affiliate URL. */
  buyUrl: string;
  firstSeen: string;
  lastSeen: string;
  status: ArtworkStatus;
}

/** Cursor-paged list envelope used by every list endpoint. */
export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, or null at the end. */
  next: string | null;
}

/** JSON error body for every 4xx/5xx. */
export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

export function orientationOf(width: number, height: number): Orientation {
  const ratio = width / height;
  if (ratio > 1.05) return "landscape";
  if (ratio < 0.95) return "portrait";
  return "square";
}
