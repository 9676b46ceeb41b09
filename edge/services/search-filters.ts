// Search filters over the in-memory catalogue (validated by the route's zod schema).
import { z } from "zod";
import { ORIENTATIONS } from "../../common/domain.ts";
import { badRequest } from "../errors.ts";
import type { ArtworkModel } from "./artwork-model.ts";
import { normTag } from "./artwork-snapshot.ts";
import { COLOURS, colourIndex } from "./search-colour.ts";

/** Print size classes by the longest side of any offered size. */
export const SIZE_CLASSES = { small: [0, 40], medium: [40, 80], large: [80, Infinity] } as const;

const cents = z.string().regex(/^[0-9]{1,9}$/, "must be a whole number of minor units (cents)").transform(Number);
export const SearchFilterQuery = z
  .object({
    minPrice: cents.optional(),
    maxPrice: cents.optional(),
    orientation: z.enum(ORIENTATIONS).optional(),
    size: z.enum(["small", "medium", "large"]).optional(),
    colour: z.enum(COLOURS).optional(),
    tag: z.string().min(1).max(60).transform(normTag).optional(),
    shop: z.string().min(1).max(80).optional(),
  })
  .refine((f) => f.minPrice === undefined || f.maxPrice === undefined || f.minPrice <= f.maxPrice, { message: "minPrice must be ≤ maxPrice", path: ["minPrice"] });
export type SearchFilters = z.infer<typeof SearchFilterQuery>;

export function matchesFilters(model: ArtworkModel, id: number, f: SearchFilters): boolean {
  const w = model.snapshot.works.get(id);
  if (!w) return false;
  if (!f.orientation && !f.shop && !f.tag && f.minPrice === undefined && f.maxPrice === undefined && !f.size && !f.colour) return true;
  const row = w.row;
  if (f.orientation && row.orientation !== f.orientation) return false;
  if (f.shop && row.shopId !== f.shop && row.shopName.toLowerCase() !== f.shop.toLowerCase()) return false;
  if (f.tag && !w.tags.includes(f.tag)) return false;
  if (f.minPrice !== undefined || f.maxPrice !== undefined || f.size) {
    const lo = f.minPrice ?? 0;
    const hi = f.maxPrice ?? Infinity;
    const [smin, smax] = f.size ? SIZE_CLASSES[f.size] : [0, Infinity];
    const ok = (row.sizes ?? []).some((s) => {
      if ((f.minPrice !== undefined || f.maxPrice !== undefined) && (s.priceCents == null || s.priceCents < lo || s.priceCents > hi)) return false;
      if (f.size) {
        const side = Math.max(s.widthCm ?? 0, s.heightCm ?? 0);
        if (side <= 0 || side < smin || side >= smax) return false;
      }
      return true;
    });
    if (!ok) return false;
  }
  if (f.colour) {
    const colours = colourIndex(model);
    if (!colours) throw badRequest("filter_unavailable", "the colour filter needs colours.json (or a classic-v1 index) in the published artifacts");
    if (!colours.get(id)?.includes(f.colour)) return false;
  }
  return true;
}
