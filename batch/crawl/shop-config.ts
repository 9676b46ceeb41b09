// A shop adapter is configuration, not code: this file validates it (zod) and resolves the
// run-time base URL override. The crawler reads only what this schema allows.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { parse as parseYaml } from "yaml";

const regex = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");

/** A CSS selector; `attr` reads an attribute instead of the text content. */
const SelectorSchema = z.union([z.string().min(1), z.object({ css: z.string().min(1), attr: z.string().min(1).optional() })]);
export type Selector = z.infer<typeof SelectorSchema>;

const SelectorsSchema = z.object({
  title: SelectorSchema.optional(),
  artist: SelectorSchema.optional(),
  description: SelectorSchema.optional(),
  image: SelectorSchema.optional(),
  canonical: SelectorSchema.default({ css: "link[rel=canonical]", attr: "href" }),
  tags: SelectorSchema.optional(),
  categories: SelectorSchema.optional(),
  /** One element per size row; the cells below are read inside each row. */
  sizeRows: z.string().optional(),
  sizeLabel: SelectorSchema.optional(),
  sizePrice: SelectorSchema.optional(),
  sizeUrl: SelectorSchema.optional(),
  /** Links followed from listing pages: `a[href]` by default, filtered by the URL patterns. */
  links: z.string().default("a[href]"),
  nextPage: z.string().default("link[rel=next], a[rel=next]"),
});

/** A dot path into JSON (`product.variants`, `items.0.url`); `[]` is not needed: arrays are read whole. */
const jsonPath = z.string().regex(/^[A-Za-z0-9_$@-]+(\.[A-Za-z0-9_$@-]+)*$/, "a dot path such as product.variants");

/** Product data in embedded JSON state (`<script id="__STATE__" type="application/json">`). */
const JsonStateSchema = z.object({
  /** CSS selector of the script element holding the JSON. */
  script: z.string().min(1),
  /** Path to the product object inside that JSON. */
  root: jsonPath.optional(),
  fields: z.object({
    title: jsonPath.optional(),
    artist: jsonPath.optional(),
    description: jsonPath.optional(),
    image: jsonPath.optional(),
    canonical: jsonPath.optional(),
    /** Array of strings or a comma-separated string. */
    tags: jsonPath.optional(),
    categories: jsonPath.optional(),
    /** Array of offers; the offer* paths are read inside each element. */
    offers: jsonPath.optional(),
    offerLabel: jsonPath.optional(),
    offerPrice: jsonPath.optional(),
    offerCurrency: jsonPath.optional(),
    offerUrl: jsonPath.optional(),
    offerKey: jsonPath.optional(),
  }),
});

/** A JSON listing API (paged) instead of HTML listing pages; its URLs match listingUrlPattern. */
const ListingApiSchema = z.object({
  /** Path to the array of items in the answer. */
  items: jsonPath,
  /** Path to the product URL inside an item (absolute or relative to the API URL). */
  url: jsonPath,
  /** Path to the item's last-modified time, used like a sitemap <lastmod>. */
  lastmod: jsonPath.optional(),
  /** Path to the next page URL (null/absent on the last page). */
  next: jsonPath.optional(),
});

export const ShopConfigSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case slug"),
  name: z.string().min(1),
  /** Canonical origin of the shop; `--shop-url` replaces it at fetch time only. */
  baseUrl: z.string().url(),
  currency: z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code"),
  /** Sitemap URLs (absolute or relative to baseUrl). Sitemap: lines in robots.txt are added. */
  sitemaps: z.array(z.string()).default([]),
  useRobotsSitemaps: z.boolean().default(true),
  startUrls: z.array(z.string()).default([]),
  /** Regexes matched against path + query of a URL on the shop. */
  productUrlPattern: regex,
  listingUrlPattern: regex.optional(),
  /** Hosts the crawler may fetch from (the run-time override host is added). */
  allowedHosts: z.array(z.string().min(1)).min(1),
  extract: z
    .object({
      jsonLd: z.boolean().default(true),
      selectors: SelectorsSchema.default(SelectorsSchema.parse({})),
      /** Text the shop shows when a field is unknown (e.g. "Unknown artist"): read as missing. */
      placeholders: z.array(z.string()).default([]),
      /** Embedded JSON state, read before JSON-LD and CSS selectors when present. */
      jsonState: JsonStateSchema.optional(),
    })
    .default({ jsonLd: true, selectors: SelectorsSchema.parse({}), placeholders: [] }),
  affiliate: z.object({
    /** Placeholders: {offerUrl} (the shop's buy link for a size, else the product URL), {url}, {size}. */
    template: z.string().min(1),
    /** Query parameters appended to the result (the shop's affiliate id etc.). */
    params: z.record(z.string(), z.string()).default({}),
  }),
  images: z
    .object({
      minWidth: z.number().int().positive().default(64),
      minHeight: z.number().int().positive().default(64),
      maxPixels: z.number().int().positive().default(40_000_000),
    })
    .default({ minWidth: 64, minHeight: 64, maxPixels: 40_000_000 }),
  /** Re-check unchanged products (conditional GET) after this many hours; sitemap lastmod skips before. */
  revisitAfterHours: z.number().nonnegative().default(24 * 7),
  listingApi: ListingApiSchema.optional(),
  /** Hard cap on HTTP requests per crawl run (the rest stays queued for the next run). */
  maxRequestsPerRun: z.number().int().positive().default(50_000),
  /** Module in batch/hooks/ (file name without .ts) for a truly odd field; see batch/hooks/README.md. */
  hook: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a module name in batch/hooks/").optional(),
});
export type ShopConfig = z.infer<typeof ShopConfigSchema>;

export class ShopConfigError extends Error {}

export function parseShopConfig(raw: unknown, source = "shop config"): ShopConfig {
  const parsed = ShopConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
    throw new ShopConfigError(`${source} is invalid:\n${issues}`);
  }
  return parsed.data;
}

export async function loadShopConfig(path: string): Promise<ShopConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new ShopConfigError(`cannot read shop config ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  const yaml = /\.ya?ml$/i.test(path);
  try {
    raw = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ShopConfigError(`${path} is not valid ${yaml ? "YAML" : "JSON"}: ${(e as Error).message}`);
  }
  return parseShopConfig(raw, path);
}

/**
 * A shop bound to where it is fetched from. URLs are stored under the configured (logical)
 * origin, so a fixture shop on a random port keeps the same stable ids run after run.
 */
export interface ResolvedShop {
  config: ShopConfig;
  logicalOrigin: string;
  fetchOrigin: string;
  productPattern: RegExp;
  listingPattern: RegExp | null;
  allowedHosts: Set<string>;
  toFetchUrl(logical: string): string;
  toLogicalUrl(fetched: string): string;
  /** Absolute logical URL for a link found on a page, or null when it is not http(s). */
  resolve(href: string, base: string): string | null;
}

export function resolveShop(config: ShopConfig, baseUrlOverride?: string): ResolvedShop {
  const logicalOrigin = new URL(config.baseUrl).origin;
  let fetchOrigin = logicalOrigin;
  if (baseUrlOverride) {
    let u: URL;
    try {
      u = new URL(baseUrlOverride);
    } catch {
      throw new ShopConfigError(`--shop-url is not a URL: ${baseUrlOverride}`);
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new ShopConfigError(`--shop-url must be http(s): ${baseUrlOverride}`);
    fetchOrigin = u.origin;
  }
  const allowedHosts = new Set(config.allowedHosts.map((h) => h.toLowerCase()));
  allowedHosts.add(new URL(logicalOrigin).host);
  allowedHosts.add(new URL(fetchOrigin).host);
  const swap = (url: string, from: string, to: string) => (url.startsWith(from + "/") || url === from ? to + url.slice(from.length) : url);
  const toLogicalUrl = (fetched: string) => swap(fetched, fetchOrigin, logicalOrigin);
  return {
    config,
    logicalOrigin,
    fetchOrigin,
    productPattern: new RegExp(config.productUrlPattern),
    listingPattern: config.listingUrlPattern ? new RegExp(config.listingUrlPattern) : null,
    allowedHosts,
    toFetchUrl: (logical) => swap(logical, logicalOrigin, fetchOrigin),
    toLogicalUrl,
    resolve(href, base) {
      try {
        const u = new URL(href, base);
        if (u.protocol !== "http:" && u.protocol !== "https:") return null;
        u.hash = "";
        return toLogicalUrl(u.toString());
      } catch {
        return null;
      }
    },
  };
}

/** Path + query of a URL, what the URL patterns match against. */
export function pathAndQuery(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}
