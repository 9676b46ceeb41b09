// Display helpers shared by pages. Prices are minor units (cents) in the API.

const formatters = new Map<string, Intl.NumberFormat>();

export function formatPrice(cents: number | null, currency: string | null): string | null {
  if (cents === null || !currency) return null;
  // Whole amounts print without ".00" ("$40"), others with cents ("$39.50").
  const digits = cents % 100 === 0 ? 0 : 2;
  const key = `${currency}:${digits}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat("en", { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      return `${(cents / 100).toFixed(2)} ${currency}`;
    }
    formatters.set(key, f);
  }
  return f.format(cents / 100);
}

/** "30 × 40 cm (11.8 × 15.7 in)" or null when the shop gives no dimensions. */
export function formatDimensions(widthCm: number | null, heightCm: number | null): string | null {
  if (widthCm === null || heightCm === null) return null;
  const cm = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  const inch = (v: number) => (v / 2.54).toFixed(1);
  return `${cm(widthCm)} × ${cm(heightCm)} cm (${inch(widthCm)} × ${inch(heightCm)} in)`;
}

/** Click-out URL for one size: the work's /go path with `size` set. */
export function buyUrlForSize(buyUrl: string, label: string): string {
  const u = new URL(buyUrl, "http://site.invalid");
  u.searchParams.set("size", label);
  return `${u.pathname}${u.search}`;
}

/** A wall's total: one amount per currency ("$120 + €40"), plus how many works have no price. */
export function formatTotals(totals: Array<{ cents: number; currency: string }>, unpriced = 0): string | null {
  const parts = totals.map((t) => formatPrice(t.cents, t.currency)).filter((s): s is string => s !== null);
  if (!parts.length && !unpriced) return null;
  const sum = parts.join(" + ") || "—";
  return unpriced ? `${sum} (${unpriced} without a listed price)` : sum;
}
