// Turns a shop's size labels and prices into PrintSize: cents, ISO currency, cm dimensions.
import type { PrintSize } from "../../common/domain.ts";

const DIMS = /(\d+(?:[.,]\d+)?)\s*(?:["″]\s*)?(?:x|×|by|\*)\s*(\d+(?:[.,]\d+)?)\s*(cm|mm|in\b|inch(?:es)?|["″])?/i;

/** Width × height in cm from a label like "Medium 30 × 40 cm" or `12" x 16"`; null when absent. */
export function parseDimensionsCm(label: string): { widthCm: number; heightCm: number } | null {
  const m = DIMS.exec(label);
  if (!m) return null;
  const a = Number(m[1]!.replace(",", "."));
  const b = Number(m[2]!.replace(",", "."));
  const unit = (m[3] ?? "cm").toLowerCase();
  const f = unit === "mm" ? 0.1 : unit === "cm" ? 1 : 2.54;
  if (!(a > 0 && b > 0)) return null;
  const round = (v: number) => Math.round(v * f * 10) / 10;
  return { widthCm: round(a), heightCm: round(b) };
}

/** Price in minor units from "39.00", "$39", "1.299,00 €", 39 or "39,5"; null when unparseable. */
export function parsePriceCents(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.round(value * 100) : null;
  if (typeof value !== "string") return null;
  let s = value.replace(/[^\d.,]/g, "");
  if (!s) return null;
  const lastComma = s.lastIndexOf(",");
  const lastDot = s.lastIndexOf(".");
  // The right-most separator followed by 1–2 digits is the decimal mark; the others group thousands.
  const decimalAt = Math.max(lastComma, lastDot);
  if (decimalAt >= 0 && s.length - decimalAt - 1 <= 2) {
    s = s.slice(0, decimalAt).replace(/[.,]/g, "") + "." + s.slice(decimalAt + 1);
  } else {
    s = s.replace(/[.,]/g, "");
  }
  const n = Number(s);
  return Number.isFinite(n) ? Math.round(n * 100) : null;
}

export function makePrintSize(input: { label: string; price: unknown; currency: string; key?: string | null }): PrintSize {
  const dims = parseDimensionsCm(input.label);
  const size: PrintSize = {
    label: input.label.slice(0, 80),
    widthCm: dims?.widthCm ?? null,
    heightCm: dims?.heightCm ?? null,
    priceCents: parsePriceCents(input.price),
    currency: input.currency,
  };
  if (input.key) size.key = input.key.slice(0, 80);
  return size;
}

export function minPriceCents(sizes: PrintSize[]): number | null {
  const prices = sizes.map((s) => s.priceCents).filter((p): p is number => p !== null);
  return prices.length ? Math.min(...prices) : null;
}
