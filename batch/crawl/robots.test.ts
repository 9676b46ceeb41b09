import { test } from "node:test";
import assert from "node:assert/strict";
import { crawlDelayMs, isAllowed, parseRobots } from "./robots.ts";

const U = (p: string) => `http://shop.test${p}`;

test("longest match wins, ties allow, $ and * patterns", () => {
  const r = parseRobots(`
# comment
User-agent: *
Disallow: /private/
Allow: /private/public-*
Disallow: /*.pdf$
Disallow: /cart
Sitemap: http://shop.test/sitemap.xml
`);
  assert.equal(isAllowed(r, "ArtSnobBot", U("/art/1")), true);
  assert.equal(isAllowed(r, "ArtSnobBot", U("/private/x")), false);
  assert.equal(isAllowed(r, "ArtSnobBot", U("/private/public-a")), true);
  assert.equal(isAllowed(r, "ArtSnobBot", U("/doc.pdf")), false);
  assert.equal(isAllowed(r, "ArtSnobBot", U("/doc.pdf?x=1")), true);
  assert.equal(isAllowed(r, "ArtSnobBot", U("/cart?item=2")), false);
  assert.equal(isAllowed(r, "ArtSnobBot", U("/robots.txt")), true);
  assert.deepEqual(r.sitemaps, ["http://shop.test/sitemap.xml"]);
  const tie = parseRobots("User-agent: *\nDisallow: /a\nAllow: /a\n");
  assert.equal(isAllowed(tie, "ArtSnobBot", U("/a")), true);
});

test("a group naming our bot replaces the * group; repeated groups merge; crawl-delay", () => {
  const r = parseRobots(`
User-agent: *
Disallow: /

User-agent: otherbot
User-agent: artsnobbot
Disallow: /secret
Crawl-delay: 2

User-agent: ArtSnobBot
Disallow: /also-secret
`);
  assert.equal(isAllowed(r, "ArtSnobBot", U("/art/1")), true);
  assert.equal(isAllowed(r, "ArtSnobBot", U("/secret/1")), false);
  assert.equal(isAllowed(r, "ArtSnobBot", U("/also-secret")), false);
  assert.equal(isAllowed(r, "SomeoneElse", U("/art/1")), false);
  assert.equal(crawlDelayMs(r, "ArtSnobBot"), 2000);
});

test("empty Disallow allows all; fallbacks for unreadable robots.txt", () => {
  assert.equal(isAllowed(parseRobots("User-agent: *\nDisallow:\n"), "ArtSnobBot", U("/x")), true);
  assert.equal(isAllowed({ groups: [], sitemaps: [], fallback: "disallow-all" }, "ArtSnobBot", U("/x")), false);
  assert.equal(isAllowed({ groups: [], sitemaps: [], fallback: "allow-all" }, "ArtSnobBot", U("/x")), true);
  assert.equal(isAllowed(parseRobots("garbage\n\0\nUser-agent *\n"), "ArtSnobBot", U("/x")), true);
});
