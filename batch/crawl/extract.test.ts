import { test } from "node:test";
import assert from "node:assert/strict";
import { extractLinks, extractProduct, parseSitemap } from "./extract.ts";
import { parseShopConfig, resolveShop, loadShopConfig, ShopConfigError } from "./shop-config.ts";
import { parseDimensionsCm, parsePriceCents } from "./sizes.ts";
import { buildAffiliateUrl } from "./artwork-store.ts";
import { DEFAULT_SHOP_CONFIG } from "../pipeline.ts";

const config = await loadShopConfig(DEFAULT_SHOP_CONFIG);
const shop = resolveShop(config, "http://127.0.0.1:4567");

const jsonLdPage = `<!doctype html><html><head>
<link rel="canonical" href="http://127.0.0.1:4567/art/moon-01">
<script type="application/ld+json">${JSON.stringify({
  "@context": "https://schema.org",
  "@type": "Product",
  name: "Moon &amp; Stars",
  image: "http://127.0.0.1:4567/images/moon-01.webp",
  description: "A moon.",
  brand: { "@type": "Brand", name: "Daniel" },
  offers: [
    { "@type": "Offer", name: "Small 20 × 30 cm", price: "19.00", priceCurrency: "USD", sku: "moon-01-s", url: "https://partner.example/p/moon-01?size=s" },
    { "@type": "Offer", name: "Large 50 x 70 cm", price: 49.5, priceCurrency: "USD", sku: "moon-01-l", url: "https://partner.example/p/moon-01?size=l" },
  ],
})}</script></head>
<body><main><h1>ignored</h1><img src="/images/moon-01.webp">
<p class="categories"><a href="/category/astronomy">Astronomy</a></p><p class="tags"><a href="/tag/moon" rel="tag">Moon</a> <a href="/tag/space" rel="tag">space</a></p></main></body></html>`;

test("JSON-LD product: fields, sizes in cents and cm, logical URLs, entities decoded", () => {
  const p = extractProduct(jsonLdPage, "http://127.0.0.1:4567/art/moon-01", shop);
  assert.equal(p.title, "Moon & Stars");
  assert.equal(p.artist, "Daniel");
  assert.equal(p.canonicalUrl, "https://openclipart-prints.example/art/moon-01");
  assert.equal(p.imageUrl, "https://openclipart-prints.example/images/moon-01.webp");
  assert.deepEqual(p.tags, ["moon", "space"]);
  assert.deepEqual(p.categories, ["Astronomy"]);
  assert.deepEqual(
    p.offers.map((o) => o.size),
    [
      { label: "Small 20 × 30 cm", widthCm: 20, heightCm: 30, priceCents: 1900, currency: "USD", key: "s" },
      { label: "Large 50 x 70 cm", widthCm: 50, heightCm: 70, priceCents: 4950, currency: "USD", key: "l" },
    ],
  );
  assert.deepEqual(p.warnings, []);
  const aff = buildAffiliateUrl(config, { offerUrl: p.offers[0]!.url, url: p.canonicalUrl, size: "s" });
  assert.equal(aff, "https://partner.example/p/moon-01?size=s&aff=artsnob");
});

test("CSS fallback when JSON-LD is missing or malformed; problems become warnings", () => {
  const html = `<html><head><script type="application/ld+json">{ broken</script></head><body><main>
  <h1>Tree &amp; Bird</h1><p class="byline">by <span class="artist">Unknown artist</span></p><p class="description">  A   tree. </p><img src="/images/tree.webp">
  <table class="sizes"><tbody><tr><td>Medium 30×40 cm</td><td>$29.00</td><td><a rel="sponsored nofollow" href="https://partner.example/p/tree?size=m">Buy</a></td></tr>
  <tr><td>Poster</td><td>ask us</td></tr></tbody></table></main></body></html>`;
  const p = extractProduct(html, "http://127.0.0.1:4567/art/tree", shop);
  assert.equal(p.title, "Tree & Bird");
  assert.equal(p.artist, null, "placeholder text is not an artist");
  assert.equal(p.description, "A tree.");
  assert.equal(p.canonicalUrl, "https://openclipart-prints.example/art/tree");
  assert.equal(p.offers[0]!.size.priceCents, 2900);
  assert.equal(p.offers[0]!.size.key, "m");
  assert.equal(p.offers[1]!.size.priceCents, null);
  assert.ok(p.warnings.some((w) => w.startsWith("malformed JSON-LD")));
  assert.ok(p.warnings.some((w) => w.includes('no price for size "Poster"')));
  const empty = extractProduct("<html><body>nothing</body></html>", "http://127.0.0.1:4567/art/x", shop);
  assert.ok(empty.warnings.includes("missing title") && empty.warnings.includes("missing image"));
});

test("listings, sitemaps, prices and dimensions", () => {
  const { links, next } = extractLinks(`<a href="/art/a">a</a><a href="https://evil.example/x">x</a><a href="javascript:alert(1)">j</a><link rel="next" href="/shop?page=2">`, "http://127.0.0.1:4567/shop?page=1", shop);
  assert.deepEqual(links, ["https://openclipart-prints.example/art/a", "https://evil.example/x"]);
  assert.equal(next, "https://openclipart-prints.example/shop?page=2");
  const sm = parseSitemap(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://h/art/a?x=1&amp;y=2</loc><lastmod>2026-01-02</lastmod></url><url><loc>http://h/art/b</loc></url></urlset>`);
  assert.deepEqual(sm.urls, [
    { loc: "http://h/art/a?x=1&y=2", lastmod: "2026-01-02" },
    { loc: "http://h/art/b", lastmod: null },
  ]);
  assert.equal(parsePriceCents("1.299,00 €"), 129900);
  assert.equal(parsePriceCents("$1,299"), 129900);
  assert.equal(parsePriceCents("n/a"), null);
  assert.deepEqual(parseDimensionsCm(`12" x 16"`), { widthCm: 30.5, heightCm: 40.6 });
  assert.equal(parseDimensionsCm("Medium"), null);
});

test("a bad shop config gets a clear error", async () => {
  assert.throws(() => parseShopConfig({ id: "Bad Id", baseUrl: "nope" }, "x.json"), (e: Error) => e instanceof ShopConfigError && /x\.json is invalid/.test(e.message) && /id: /.test(e.message) && /baseUrl/.test(e.message));
  assert.throws(() => parseShopConfig({ ...config, productUrlPattern: "([" }), /productUrlPattern: not a valid regular expression/);
  await assert.rejects(loadShopConfig("/nonexistent/shop.json"), /cannot read shop config/);
  assert.throws(() => resolveShop(config, "ftp://x"), /must be http/);
});
