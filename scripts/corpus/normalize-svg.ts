// Normalises an SVG root so librsvg (via sharp) renders the whole drawing at a chosen size.
// Why: most openclipart roots use pt/mm units and have no viewBox; the usual `sharp(svg, {density})`
// recipe then mis-scales or crops ≈29% of them (data.md). We convert width/height to px at 96 dpi,
// add `viewBox="0 0 w h"` when missing, then set width/height to the target size.

const PX_PER_UNIT: Record<string, number> = {
  "": 1,
  px: 1,
  pt: 96 / 72,
  pc: 16,
  mm: 96 / 25.4,
  cm: 96 / 2.54,
  in: 96,
  em: 16,
  ex: 8,
};

/** Parses an SVG length to px; null for percentages, garbage or non-positive values. */
export function lengthToPx(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([a-z%]*)\s*$/i.exec(value);
  if (!m) return null;
  const factor = PX_PER_UNIT[(m[2] ?? "").toLowerCase()];
  const n = Number(m[1]) * (factor ?? NaN);
  return Number.isFinite(n) && n > 0 ? n : null;
}

export interface NormalisedSvg {
  svg: string;
  /** Intrinsic size in px at 96 dpi. */
  intrinsic: { width: number; height: number };
  /** Output size: the intrinsic size scaled so the longer side is `maxSide`. */
  width: number;
  height: number;
}

const ROOT = /<(svg:)?svg\b([^>]*?)(\/?)>/;
const ATTR = /([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')/g;

export function normaliseSvgRoot(svg: string, maxSide: number): NormalisedSvg {
  const root = ROOT.exec(svg);
  if (!root) throw new Error("no <svg> root element");
  const attrs = new Map<string, string>();
  for (const m of (root[2] ?? "").matchAll(ATTR)) attrs.set(m[1]!, m[2]!.slice(1, -1));

  const viewBox = parseViewBox(attrs.get("viewBox"));
  let w = lengthToPx(attrs.get("width"));
  let h = lengthToPx(attrs.get("height"));
  // Missing or relative dimensions: fall back to the viewBox, keeping its aspect ratio.
  if (viewBox) {
    if (w === null && h === null) [w, h] = [viewBox.w, viewBox.h];
    else if (w === null) w = (h! * viewBox.w) / viewBox.h;
    else if (h === null) h = (w * viewBox.h) / viewBox.w;
  }
  if (w === null || h === null) throw new Error("SVG root has neither usable width/height nor a viewBox");

  const scale = maxSide / Math.max(w, h);
  const width = Math.max(1, Math.round(w * scale));
  const height = Math.max(1, Math.round(h * scale));
  const kept = [...attrs].filter(([k]) => k !== "width" && k !== "height" && !(k === "viewBox" && !viewBox));
  const vb = viewBox ? attrs.get("viewBox")! : `0 0 ${round(w)} ${round(h)}`;
  const rebuilt = [
    `width="${width}"`,
    `height="${height}"`,
    ...(viewBox ? [] : [`viewBox="${vb}"`]),
    ...kept.map(([k, v]) => `${k}="${v.replace(/"/g, "&quot;")}"`),
  ].join(" ");
  const prefix = root[1] ?? "";
  const out = svg.slice(0, root.index) + `<${prefix}svg ${rebuilt}${root[3] ?? ""}>` + svg.slice(root.index + root[0].length);
  return { svg: out, intrinsic: { width: w, height: h }, width, height };
}

function parseViewBox(v: string | undefined): { w: number; h: number } | null {
  if (!v) return null;
  const parts = v.trim().split(/[\s,]+/).map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return null;
  const [, , w, h] = parts as [number, number, number, number];
  return w > 0 && h > 0 ? { w, h } : null;
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
