// Search filters kept in the page URL (shareable, back-button safe) and passed through to the API.
export interface SearchFilters {
  minPrice: string;
  maxPrice: string;
  orientation: string;
  size: string;
  colour: string;
  tag: string;
  shop: string;
}
export const FILTER_KEYS = ["minPrice", "maxPrice", "orientation", "size", "colour", "tag", "shop"] as const;

export const ORIENTATION_OPTIONS = [
  ["", "Any shape"],
  ["portrait", "Portrait"],
  ["landscape", "Landscape"],
  ["square", "Square"],
] as const;
export const SIZE_OPTIONS = [
  ["", "Any size"],
  ["small", "Small (under 40 cm)"],
  ["medium", "Medium (40–80 cm)"],
  ["large", "Large (80 cm and up)"],
] as const;
export const COLOUR_OPTIONS = [
  ["", "Any colour"],
  ["red", "Red"],
  ["orange", "Orange"],
  ["yellow", "Yellow"],
  ["green", "Green"],
  ["cyan", "Cyan"],
  ["blue", "Blue"],
  ["purple", "Purple"],
  ["pink", "Pink"],
  ["brown", "Brown"],
  ["black", "Black"],
  ["white", "White"],
  ["grey", "Grey"],
] as const;

const clean = (v: string | null, max = 60) => (v ?? "").trim().slice(0, max);
const money = (v: string | null) => (/^\d{1,6}$/.test(clean(v)) ? clean(v) : "");
const oneOf = (v: string | null, opts: readonly (readonly [string, string])[]) => (opts.some(([k]) => k === v) ? (v as string) : "");

export function readFilters(params: URLSearchParams): SearchFilters {
  return {
    minPrice: money(params.get("minPrice")),
    maxPrice: money(params.get("maxPrice")),
    orientation: oneOf(params.get("orientation"), ORIENTATION_OPTIONS),
    size: oneOf(params.get("size"), SIZE_OPTIONS),
    colour: oneOf(params.get("colour"), COLOUR_OPTIONS),
    tag: clean(params.get("tag")),
    shop: clean(params.get("shop")),
  };
}

export function activeFilterCount(f: SearchFilters): number {
  return FILTER_KEYS.filter((k) => f[k]).length;
}

/** API query parameters (edge/services/search-filters.ts): prices in the URL are whole units, the API takes cents. */
export function filterApiParams(f: SearchFilters): Record<string, string> {
  const p: Record<string, string> = {};
  if (f.minPrice) p.minPrice = String(Number(f.minPrice) * 100);
  if (f.maxPrice) p.maxPrice = String(Number(f.maxPrice) * 100);
  for (const k of ["orientation", "size", "colour", "tag", "shop"] as const) if (f[k]) p[k] = f[k];
  return p;
}

export function searchUrl(q: string, f: Partial<SearchFilters>, cursor?: string | null): string {
  const p = new URLSearchParams();
  if (q) p.set("q", q);
  for (const k of FILTER_KEYS) if (f[k]) p.set(k, f[k] as string);
  if (cursor) p.set("cursor", cursor);
  return `/search?${p.toString()}`;
}
