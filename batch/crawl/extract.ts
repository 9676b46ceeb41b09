// Product and listing extraction from HTML with linkedom: JSON-LD Product first, the shop's CSS
// selectors as fallback. Missing or malformed fields become warnings on the item, never a throw.
import { parseHTML } from "linkedom";
import type { PrintSize } from "../../common/domain.ts";
import type { ResolvedShop, Selector } from "./shop-config.ts";
import { makePrintSize } from "./sizes.ts";

export interface ExtractedOffer {
  size: PrintSize;
  /** The shop's buy link for this size (logical URL), if any. */
  url: string | null;
}

export interface ExtractedProduct {
  canonicalUrl: string;
  title: string | null;
  artist: string | null;
  description: string | null;
  imageUrl: string | null;
  tags: string[];
  categories: string[];
  offers: ExtractedOffer[];
  warnings: string[];
  /** The product object from embedded JSON state (for shop hooks), when the shop has one. */
  state?: Record<string, unknown> | null;
}

type Doc = ReturnType<typeof parseHTML>["document"];
type El = ReturnType<Doc["querySelector"]>;

export function parseDocument(html: string): Doc {
  return parseHTML(html).document;
}

const clean = (s: string | null | undefined): string | null => {
  if (s == null) return null;
  const t = decodeEntities(String(s)).replace(/\s+/g, " ").trim();
  return t.length ? t : null;
};

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
/** JSON-LD is raw script text, so shops that HTML-escape inside it leave entities behind. */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, code: string) => {
    if (code[0] === "#") {
      const n = code[1] === "x" || code[1] === "X" ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : m;
    }
    return NAMED[code.toLowerCase()] ?? m;
  });
}

function readSelector(root: Doc | NonNullable<El>, sel: Selector | undefined): string[] {
  if (!sel) return [];
  const css = typeof sel === "string" ? sel : sel.css;
  const attr = typeof sel === "string" ? undefined : sel.attr;
  let nodes: NonNullable<El>[];
  try {
    nodes = [...root.querySelectorAll(css)] as NonNullable<El>[];
  } catch {
    return [];
  }
  return nodes.map((n) => clean(attr ? n.getAttribute(attr) : n.textContent)).filter((v): v is string => v !== null);
}

const first = (root: Doc | NonNullable<El>, sel: Selector | undefined) => readSelector(root, sel)[0] ?? null;

/** Every JSON-LD node (arrays and @graph flattened); malformed blocks are reported, not thrown. */
function jsonLdNodes(doc: Doc, warnings: string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      out.push(o);
      if (o["@graph"]) visit(o["@graph"]);
    }
  };
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(script.textContent ?? ""));
    } catch (e) {
      warnings.push(`malformed JSON-LD: ${(e as Error).message.slice(0, 120)}`);
    }
  }
  return out;
}

const hasType = (o: Record<string, unknown>, t: string) => {
  const type = o["@type"];
  return type === t || (Array.isArray(type) && type.includes(t));
};

function str(v: unknown): string | null {
  if (typeof v === "string") return clean(v);
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return str(v[0]);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return str(o.name ?? o.url ?? o.contentUrl ?? o["@id"]);
  }
  return null;
}

function offersOf(product: Record<string, unknown>): Record<string, unknown>[] {
  const raw = product.offers;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.flatMap((o) => {
    if (!o || typeof o !== "object") return [];
    const obj = o as Record<string, unknown>;
    if (hasType(obj, "AggregateOffer") && obj.offers) return offersOf(obj);
    return [obj];
  });
}

/** Size key from the offer URL's `size` parameter, else the SKU. */
function sizeKey(url: string | null, sku: string | null): string | null {
  if (url) {
    try {
      const k = new URL(url).searchParams.get("size");
      if (k) return k;
    } catch {
      /* fall through */
    }
  }
  return sku;
}

/** Value at a dot path (`product.variants.0.name`); undefined when any step is missing. */
export function getPath(root: unknown, path: string | undefined): unknown {
  if (!path) return undefined;
  let v: unknown = root;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function strings(v: unknown): string[] {
  if (typeof v === "string") return v.split(",").map((t) => clean(t)).filter((t): t is string => !!t);
  if (Array.isArray(v)) return v.flatMap((x) => (typeof x === "string" || typeof x === "number" ? [clean(String(x))] : [str(x)])).filter((t): t is string => !!t);
  return [];
}

/** The product object in the page's embedded JSON state, per the shop's jsonState config. */
function jsonStateOf(doc: Doc, shop: ResolvedShop, warnings: string[]): Record<string, unknown> | null {
  const cfg = shop.config.extract.jsonState;
  if (!cfg) return null;
  let script: El;
  try {
    script = doc.querySelector(cfg.script);
  } catch {
    script = null;
  }
  if (!script) {
    warnings.push(`no embedded JSON state (${cfg.script})`);
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(script.textContent ?? "");
  } catch (e) {
    warnings.push(`malformed JSON state: ${(e as Error).message.slice(0, 120)}`);
    return null;
  }
  const root = cfg.root ? getPath(json, cfg.root) : json;
  if (!root || typeof root !== "object" || Array.isArray(root)) {
    warnings.push(`JSON state has no object at ${cfg.root ?? "(root)"}`);
    return null;
  }
  return root as Record<string, unknown>;
}

export function extractProduct(html: string, pageUrl: string, shop: ResolvedShop): ExtractedProduct {
  const warnings: string[] = [];
  const doc = parseDocument(html);
  const sel = shop.config.extract.selectors;
  const currency = shop.config.currency;
  const state = jsonStateOf(doc, shop, warnings);
  const sf = shop.config.extract.jsonState?.fields ?? {};
  const sv = (path: string | undefined) => (state && path ? str(getPath(state, path)) : null);
  const product = shop.config.extract.jsonLd ? jsonLdNodes(doc, warnings).find((o) => hasType(o, "Product")) : undefined;
  if (shop.config.extract.jsonLd && !product && !state) warnings.push("no JSON-LD Product; used CSS selectors");
  const abs = (href: string | null) => (href ? shop.resolve(href, pageUrl) : null);

  const placeholders = new Set(shop.config.extract.placeholders.map((p) => p.toLowerCase()));
  const real = (v: string | null) => (v !== null && placeholders.has(v.toLowerCase()) ? null : v);
  const title = real(sv(sf.title) ?? str(product?.name) ?? first(doc, sel.title));
  const artist = real(sv(sf.artist) ?? str(product?.brand) ?? str(product?.author) ?? str(product?.creator) ?? first(doc, sel.artist));
  const description = real(sv(sf.description) ?? str(product?.description) ?? first(doc, sel.description));
  const imageUrl = abs(sv(sf.image) ?? str(product?.image) ?? first(doc, sel.image));
  let canonical = abs(first(doc, sel.canonical) ?? sv(sf.canonical) ?? (str(product?.url) || null));
  if (canonical && !shop.allowedHosts.has(new URL(canonical).host)) {
    warnings.push(`canonical URL on a foreign host ignored: ${canonical}`);
    canonical = null;
  }
  const canonicalUrl = canonical ?? shop.toLogicalUrl(pageUrl);

  let offers: ExtractedOffer[] = [];
  const stateOffers = state ? getPath(state, sf.offers) : undefined;
  if (Array.isArray(stateOffers)) {
    for (const o of stateOffers) {
      const label = str(getPath(o, sf.offerLabel)) ?? str(getPath(o, sf.offerKey)) ?? "Print";
      const url = abs(str(getPath(o, sf.offerUrl)));
      const size = makePrintSize({ label, price: getPath(o, sf.offerPrice), currency: str(getPath(o, sf.offerCurrency)) ?? currency, key: str(getPath(o, sf.offerKey)) ?? sizeKey(url, null) });
      if (size.priceCents === null) warnings.push(`no price for size "${label}"`);
      offers.push({ size, url });
    }
  }
  if (offers.length === 0 && product) {
    for (const o of offersOf(product)) {
      const label = str(o.name) ?? str(o.sku) ?? "Print";
      const url = abs(str(o.url));
      const size = makePrintSize({ label, price: o.price ?? (o.priceSpecification as Record<string, unknown> | undefined)?.price, currency: str(o.priceCurrency) ?? currency, key: sizeKey(url, str(o.sku)) });
      if (size.priceCents === null) warnings.push(`no price for size "${label}"`);
      offers.push({ size, url });
    }
  }
  if (offers.length === 0 && sel.sizeRows) {
    for (const row of doc.querySelectorAll(sel.sizeRows)) {
      const r = row as NonNullable<El>;
      const label = first(r, sel.sizeLabel);
      if (!label) continue;
      const url = abs(first(r, sel.sizeUrl));
      const price = first(r, sel.sizePrice);
      const size = makePrintSize({ label, price, currency, key: sizeKey(url, null) });
      if (size.priceCents === null) warnings.push(`no price for size "${label}"`);
      offers.push({ size, url });
    }
  }
  offers = offers.filter((o, i) => offers.findIndex((p) => p.size.label === o.size.label) === i);

  const keywords = product?.keywords;
  let tags = state ? strings(getPath(state, sf.tags)) : [];
  if (tags.length === 0) tags = readSelector(doc, sel.tags);
  if (tags.length === 0 && keywords) tags = (Array.isArray(keywords) ? keywords.map(String) : String(keywords).split(",")).map((t) => clean(t)).filter((t): t is string => !!t);
  let categories = state ? strings(getPath(state, sf.categories)) : [];
  if (categories.length === 0) categories = readSelector(doc, sel.categories);
  if (categories.length === 0 && product?.category) categories = [str(product.category)].filter((c): c is string => !!c);

  if (!title) warnings.push("missing title");
  if (!imageUrl) warnings.push("missing image");
  if (offers.length === 0) warnings.push("no sizes or prices");
  return {
    canonicalUrl,
    title,
    artist,
    description,
    imageUrl,
    tags: unique(tags.map((t) => t.toLowerCase())),
    categories: unique(categories),
    offers,
    warnings,
    state,
  };
}

const unique = (xs: string[]) => [...new Set(xs)];

/** Links on a listing page (logical URLs) and its rel=next, for the frontier. */
export function extractLinks(html: string, pageUrl: string, shop: ResolvedShop): { links: string[]; next: string | null } {
  const doc = parseDocument(html);
  const sel = shop.config.extract.selectors;
  const links = new Set<string>();
  for (const a of doc.querySelectorAll(sel.links)) {
    const u = shop.resolve(a.getAttribute("href") ?? "", pageUrl);
    if (u) links.add(u);
  }
  const nextEl = doc.querySelector(sel.nextPage);
  const next = nextEl ? shop.resolve(nextEl.getAttribute("href") ?? "", pageUrl) : null;
  return { links: [...links], next };
}

export interface SitemapEntry {
  loc: string;
  lastmod: string | null;
}

/** `<urlset>` entries and `<sitemapindex>` children, by tag name (namespaces vary in the wild). */
export function parseSitemap(xml: string): { urls: SitemapEntry[]; sitemaps: string[] } {
  const urls: SitemapEntry[] = [];
  const sitemaps: string[] = [];
  const block = /<(url|sitemap)\b[^>]*>([\s\S]*?)<\/\1>/gi;
  const tag = (body: string, name: string) => {
    const m = new RegExp(`<(?:[a-z]+:)?${name}\\b[^>]*>([\\s\\S]*?)</(?:[a-z]+:)?${name}>`, "i").exec(body);
    return m ? decodeEntities(m[1]!.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/, "$1").trim()) : null;
  };
  for (const m of xml.matchAll(block)) {
    const loc = tag(m[2]!, "loc");
    if (!loc) continue;
    if (m[1]!.toLowerCase() === "sitemap") sitemaps.push(loc);
    else urls.push({ loc, lastmod: tag(m[2]!, "lastmod") });
  }
  return { urls, sitemaps };
}

/** Product URLs (with lastmod) and the next page from a JSON listing API answer, per the shop's listingApi. */
export function parseListingJson(text: string, pageUrl: string, shop: ResolvedShop): { items: Array<{ url: string; lastmod: string | null }>; next: string | null; warnings: string[] } {
  const api = shop.config.listingApi;
  const warnings: string[] = [];
  if (!api) return { items: [], next: null, warnings: ["shop has no listingApi"] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { items: [], next: null, warnings: [`malformed listing JSON: ${(e as Error).message.slice(0, 120)}`] };
  }
  const list = getPath(json, api.items);
  if (!Array.isArray(list)) warnings.push(`listing JSON has no array at ${api.items}`);
  const items: Array<{ url: string; lastmod: string | null }> = [];
  for (const item of Array.isArray(list) ? list : []) {
    const href = str(getPath(item, api.url));
    const url = href ? shop.resolve(href, pageUrl) : null;
    if (url) items.push({ url, lastmod: str(getPath(item, api.lastmod)) });
    else warnings.push("listing item without a URL");
  }
  const nextHref = str(getPath(json, api.next));
  return { items, next: nextHref ? shop.resolve(nextHref, pageUrl) : null, warnings };
}
