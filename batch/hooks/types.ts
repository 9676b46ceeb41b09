// A shop hook: a small module for a field the configuration cannot express. Named by the shop
// config's `hook` (file name in batch/hooks/ without .ts); the crawler itself never changes.
import type { ExtractedProduct } from "../crawl/extract.ts";

export interface ShopHook {
  /** Adjusts one extracted product; receives the raw page too. Must not throw for odd input. */
  afterExtract?(product: ExtractedProduct, page: { html: string; url: string; state: unknown }): ExtractedProduct;
}
