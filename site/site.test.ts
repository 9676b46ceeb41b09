// SSR unit tests of the storefront: build the site once, import the real SSR bundle
// (site/server/entry.fetch.js) and render pages through the SiteHandler contract with a fake
// `platform.api` serving JSON fixtures. Asserts on the parsed HTML.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { parseHTML } from "linkedom";
import type { SiteHandler, SitePlatform } from "../common/api.ts";
import { detail, fakePlatform, feedPage1, feedPage2, searchFox, similarOf42, summary } from "./test-fixtures.ts";

const siteDir = fileURLToPath(new URL(".", import.meta.url));
const repoDir = join(siteDir, "..");
// Built into a temp dir (same command, SITE_OUT_DIR set) so the test never rewrites the site/dist
// that a running server or a concurrent end-to-end test is serving.
const outDir = mkdtempSync(join(tmpdir(), "site-build-"));
const bundlePath = join(outDir, "server", "entry.fetch.js");
const distDir = join(outDir, "dist");
const ORIGIN = "http://127.0.0.1:8787";

let handler: SiteHandler;

before(async () => {
  const build = spawnSync("npm", ["run", "--silent", "build:site"], {
    cwd: repoDir,
    env: { ...process.env, SITE_OUT_DIR: outDir },
    encoding: "utf8",
  });
  assert.equal(build.status, 0, `build:site failed:\n${build.stdout}\n${build.stderr}`);
  handler = (await import(pathToFileURL(bundlePath).href)).default as SiteHandler;
  assert.equal(typeof handler, "function", "entry.fetch.js must default-export the SiteHandler");
});
after(() => rmSync(outDir, { recursive: true, force: true }));

async function get(path: string, platform: SitePlatform, init?: RequestInit) {
  const res = await handler(new Request(`${ORIGIN}${path}`, init), platform);
  if (!res) return { res, html: "", doc: null };
  const html = await res.text();
  return { res, html, doc: parseHTML(html).document };
}

function all(doc: Document, selector: string): Element[] {
  return [...doc.querySelectorAll(selector)];
}

function one(doc: Document, selector: string): Element {
  const el = doc.querySelector(selector);
  assert.ok(el, `expected an element matching ${selector}`);
  return el;
}

describe("home", () => {
  test("renders the feed grid from /api/feed with a no-JS 'more' link", async () => {
    const { platform, calls } = fakePlatform();
    const { res, doc } = await get("/", platform);
    assert.ok(res && doc);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    // The personal feed and vibe rows first; the plain feed when the fixture API has no personal feed.
    assert.deepEqual(calls, ["/api/feed/recommended?limit=24", "/api/vibes", "/api/feed?limit=24"]);

    const cards = all(doc, '[data-testid="feed-grid"] [data-testid="art-card"]');
    assert.equal(cards.length, feedPage1.items.length);
    feedPage1.items.forEach((art, i) => {
      const card = cards[i]!;
      assert.equal(card.getAttribute("href"), `/art/${art.id}`);
      const img = card.querySelector("img")!;
      assert.equal(img.getAttribute("alt"), art.title);
      assert.equal(img.getAttribute("src"), art.image.url);
      assert.equal(
        img.getAttribute("srcset"),
        art.image.srcset.map((v) => `${v.url} ${v.width}w`).join(", "),
      );
      assert.ok(img.getAttribute("sizes"));
      // width/height keep the image's 4:5 ratio so the box is reserved before it loads.
      assert.equal(Number(img.getAttribute("height")) / Number(img.getAttribute("width")), 1000 / 800);
      assert.ok(card.textContent?.includes(art.artist ?? "Unknown artist"));
    });
    assert.equal(cards[0]!.querySelector("img")!.getAttribute("loading"), "eager");
    assert.equal(cards[4]!.querySelector("img")!.getAttribute("loading"), "lazy");
    assert.ok(cards[0]!.textContent?.includes("from $19.01"));

    const more = one(doc, '[data-testid="more-link"]');
    assert.equal(more.getAttribute("href"), `/?${new URLSearchParams({ cursor: feedPage1.next! })}`);
    assert.ok(doc.querySelector('[data-testid="search-input"]'));
    assert.equal(doc.documentElement.getAttribute("lang"), "en");
  });

  test("follows the cursor to the next page and stops at the end", async () => {
    const { platform, calls } = fakePlatform();
    const { res, doc } = await get(`/?cursor=${encodeURIComponent(feedPage1.next!)}`, platform);
    assert.ok(res && doc);
    assert.equal(res.status, 200);
    assert.deepEqual(calls, [
      `/api/feed/recommended?${new URLSearchParams({ cursor: feedPage1.next!, limit: "24" })}`,
      `/api/feed?${new URLSearchParams({ cursor: feedPage1.next!, limit: "24" })}`,
    ]);
    assert.equal(all(doc, '[data-testid="art-card"]').length, 2);
    assert.equal(doc.querySelector('[data-testid="more-link"]'), null);
  });

  test("a bad cursor gets a 400 page with a way back, not a crash", async () => {
    const { platform } = fakePlatform();
    const { res, doc } = await get("/?cursor=garbage", platform);
    assert.ok(res && doc);
    assert.equal(res.status, 400);
    assert.ok(one(doc, '[data-testid="feed-error"]').textContent?.includes("The cursor is not valid."));
  });

  test("a work without an image gets a labelled placeholder, never an empty src", async () => {
    const noImage = summary(9, { image: { width: null, height: null, url: "", srcset: [] } });
    const { platform } = fakePlatform([(u) => (u.pathname === "/api/feed" ? Response.json({ items: [noImage], next: null }) : undefined)]);
    const { doc } = await get("/", platform);
    assert.ok(doc);
    const card = one(doc, '[data-testid="art-card"]');
    assert.equal(card.querySelector("img"), null);
    assert.equal(card.querySelector('[role="img"]')?.getAttribute("aria-label"), noImage.title);
  });

  test("an unreachable API gives an uncached 502 page", async () => {
    const { platform } = fakePlatform([
      () => {
        throw new TypeError("connection refused");
      },
    ]);
    const { res, doc } = await get("/", platform);
    assert.ok(res && doc);
    assert.equal(res.status, 502);
    assert.match(res.headers.get("cache-control") ?? "", /no-cache/);
    assert.ok(doc.querySelector('[data-testid="feed-error"]'));
  });
});

describe("detail", () => {
  test("renders image, facts, sizes, buy links and similar works", async () => {
    const { platform, calls } = fakePlatform();
    const { res, doc } = await get("/art/42", platform);
    assert.ok(res && doc);
    assert.equal(res.status, 200);
    assert.deepEqual(calls.sort(), ["/api/art/42", "/api/art/42/similar?limit=12"]);
    const art = detail(42);

    assert.equal(one(doc, '[data-testid="art-title"]').textContent, art.title);
    assert.ok(doc.title.startsWith(art.title));
    assert.ok(one(doc, '[data-testid="art-shop"]').textContent?.includes(art.shop));
    assert.ok(one(doc, '[data-testid="art-artist"]').textContent?.includes("Artist unknown")); // 42 has no artist
    const img = one(doc, '[data-testid="art-image"]');
    assert.equal(img.getAttribute("alt"), art.title);
    assert.ok(img.getAttribute("srcset")?.includes("/img/ab42/w250.webp 250w"));
    assert.ok(img.getAttribute("width") && img.getAttribute("height") && img.getAttribute("sizes"));
    // Text from the shop is escaped, never markup.
    assert.ok(doc.querySelector(".description")?.textContent?.includes("<crossing>"));

    const rows = all(doc, '[data-testid="size-row"]');
    assert.equal(rows.length, art.sizes.length);
    assert.ok(rows[0]!.textContent?.includes("$19.42"));
    assert.ok(rows[1]!.textContent?.includes("$79.50"));
    assert.ok(rows[1]!.textContent?.includes("50 × 70 cm"));
    assert.ok(rows[2]!.textContent?.includes("See shop"));
    const sizeLinks = all(doc, '[data-testid="buy-size-link"]').map((a) => a.getAttribute("href"));
    assert.deepEqual(sizeLinks, ["/go/42?size=Small", "/go/42?size=Large+50x70", "/go/42?size=Poster"]);

    // The main button buys the chosen size (the first one by default).
    const buy = one(doc, '[data-testid="buy-link"]');
    assert.equal(buy.getAttribute("href"), "/go/42?size=Small");
    assert.equal(buy.textContent, `Buy at ${art.shop}`);
    assert.match(buy.getAttribute("rel") ?? "", /sponsored/);

    const similar = all(doc, '[data-testid="similar-grid"] [data-testid="art-card"]');
    assert.deepEqual(
      similar.map((a) => a.getAttribute("href")),
      similarOf42.items.map((s) => `/art/${s.id}`),
    );
    const ogImage = doc.querySelector('meta[property="og:image"]')?.getAttribute("content");
    assert.equal(ogImage, `${ORIGIN}${art.image.url}`);
  });

  test("still renders when the similar query fails", async () => {
    const { platform } = fakePlatform([(u) => (u.pathname.endsWith("/similar") ? new Response("boom", { status: 500 }) : undefined)]);
    const { res, doc } = await get("/art/42", platform);
    assert.ok(res && doc);
    assert.equal(res.status, 200);
    assert.ok(doc.querySelector('[data-testid="buy-link"]'));
    assert.equal(doc.querySelector('[data-testid="similar-grid"]'), null);
  });

  test("an unknown work is a helpful 404; a malformed id never reaches the API", async () => {
    const { platform, calls } = fakePlatform();
    const missing = await get("/art/999999999", platform);
    assert.equal(missing.res?.status, 404);
    assert.ok(missing.doc?.querySelector('[data-testid="art-missing"]'));
    const bad = await get("/art/abc", platform);
    assert.equal(bad.res?.status, 404);
    assert.ok(bad.doc?.querySelector('[data-testid="art-missing"]'));
    assert.ok(!calls.some((c) => c.includes("abc")));
  });
});

describe("search", () => {
  test("renders results for ?q= and keeps the query in the box", async () => {
    const { platform, calls } = fakePlatform();
    const { res, doc } = await get("/search?q=fox", platform);
    assert.ok(res && doc);
    assert.equal(res.status, 200);
    assert.deepEqual(calls, ["/api/search?q=fox&limit=24"]);
    const cards = all(doc, '[data-testid="search-results"] [data-testid="art-card"]');
    assert.deepEqual(cards.map((c) => c.getAttribute("href")), searchFox.items.map((a) => `/art/${a.id}`));
    assert.ok(one(doc, '[data-testid="search-total"]').textContent?.includes("12 works"));
    const input = one(doc, '[data-testid="search-input"]');
    assert.equal(input.getAttribute("value"), "fox");
    assert.equal(input.closest("form")?.getAttribute("method"), "get");
    assert.equal(input.closest("form")?.getAttribute("action"), "/search");
    assert.equal(one(doc, '[data-testid="more-link"]').getAttribute("href"), "/search?q=fox&cursor=s2");
  });

  test("escapes the query and shows a no-results message", async () => {
    const { platform } = fakePlatform();
    const { res, html, doc } = await get(`/search?q=${encodeURIComponent("<script>x</script>")}`, platform);
    assert.ok(res && doc);
    assert.equal(res.status, 200);
    assert.ok(!html.includes("<script>x</script>"));
    assert.ok(doc.querySelector('[data-testid="search-no-results"]'));
  });

  test("an empty query is a prompt, not an API call", async () => {
    const { platform, calls } = fakePlatform();
    const { res, doc } = await get("/search?q=%20", platform);
    assert.equal(res?.status, 200);
    assert.ok(doc?.querySelector('[data-testid="search-empty"]'));
    assert.deepEqual(calls, []);
  });
});

describe("routing contract", () => {
  test("unknown page paths get a helpful 404 page", async () => {
    const { platform } = fakePlatform();
    const { res, doc } = await get("/no/such/page", platform);
    assert.ok(res && doc);
    assert.equal(res.status, 404);
    assert.ok(one(doc, '[data-testid="not-found"]').textContent?.includes("/no/such/page"));
    assert.ok(doc.querySelector('[data-testid="search-input"]'));
  });

  test("returns null for paths the edge owns, files and other methods", async () => {
    const { platform, calls } = fakePlatform();
    for (const path of ["/api/feed", "/api/nope", "/img/ab/w100.webp", "/go/1", "/build/q-x.js", "/assets/x.css", "/favicon.ico", "/robots.txt"]) {
      assert.equal(await handler(new Request(`${ORIGIN}${path}`), platform), null, path);
    }
    assert.equal(await handler(new Request(`${ORIGIN}/`, { method: "DELETE" }), platform), null);
    assert.deepEqual(calls, []);
  });
});

describe("bundle and static files", () => {
  test("site/dist has the client build the pages reference", () => {
    assert.ok(statSync(join(distDir, "build")).isDirectory());
    assert.ok(statSync(join(distDir, "favicon.svg")).isFile());
  });

  test("site/dist references no external origin; pages load only local assets", async () => {
    // URLs that occur only inside strings that are never fetched: the SVG XML namespace, Qwik's
    // error-message documentation links, and URL-parsing bases.
    const inert = new Set(["www.w3.org", "qwik.dev", "github.com", "localhost", "site.invalid"]);
    const offenders: string[] = [];
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)]));
    for (const file of walk(distDir)) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:https?:)?\/\/([a-z0-9.-]+\.[a-z]{2,}|localhost)[^\s"'`)]*/gi)) {
        if (!inert.has(m[1]!.toLowerCase())) offenders.push(`${file}: ${m[0]}`);
      }
      assert.doesNotMatch(text, /url\(\s*["']?(https?:)?\/\//i, file);
      assert.doesNotMatch(text, /@import\s+(url\()?["']?(https?:)?\/\//i, file);
    }
    assert.deepEqual(offenders, []);

    const { platform } = fakePlatform();
    for (const path of ["/", "/art/42", "/search?q=fox"]) {
      const { doc } = await get(path, platform);
      assert.ok(doc);
      for (const el of all(doc, "[src], [href], [srcset], [action]")) {
        for (const attr of ["src", "href", "srcset", "action"]) {
          const v = el.getAttribute(attr);
          if (!v) continue;
          for (const part of v.split(",")) {
            const u = part.trim().split(/\s+/)[0]!;
            // "?qaction=…" is a form posting to its own page.
            assert.ok(u.startsWith("/") || u.startsWith("#") || u.startsWith("?") || u.startsWith(`${ORIGIN}/`), `${path}: ${attr}=${v}`);
          }
        }
      }
    }
  });

  test("home page first-load JavaScript is small and served from site/dist", async () => {
    const { platform } = fakePlatform();
    const { doc } = await get("/", platform);
    assert.ok(doc);
    const urls = new Set(
      [
        ...all(doc, "script[src]").map((s) => s.getAttribute("src")!),
        ...all(doc, 'link[rel="modulepreload"]').map((l) => l.getAttribute("href")!),
      ].filter(Boolean),
    );
    let raw = 0;
    let gz = 0;
    for (const url of urls) {
      assert.match(url, /^\/build\/q-[\w-]+\.js$/);
      const bytes = readFileSync(join(distDir, url)); // throws if the page references a missing file
      raw += bytes.length;
      gz += gzipSync(bytes, { level: 9 }).length;
    }
    const inlineScripts = all(doc, "script:not([src])").reduce((n, s) => n + (s.textContent?.length ?? 0), 0);
    console.log(JSON.stringify({ homeJs: { files: [...urls], rawBytes: raw, gzipBytes: gz, inlineScriptBytes: inlineScripts } }));
    assert.ok(gz <= 50 * 1024, `home page JS ${gz} B gzip exceeds the 50 KB budget`);
  });
});

describe("runtimes: the bundle alone, away from node_modules", () => {
  // The bundle is copied to a temp dir so no bare import can resolve through the repo's
  // node_modules: it must be self-contained (Qwik City's optional node:async_hooks is a builtin on
  // Node and Deno, and on workerd with nodejs_compat). A tiny worker module renders the home page.
  let dir = "";
  const WORKER = `import handler from "./entry.fetch.js";
    const art = { id: 7, title: "Runtime check", artist: null, shop: "S", orientation: null, fromPriceCents: null,
      currency: null, image: { width: null, height: null, url: "/img/x/w500.webp", srcset: [] } };
    export default { async fetch(request) {
      const platform = { runtime: "node", api: async () => Response.json({ items: [art], next: null }) };
      const res = await handler(request, platform);
      if (!res) return new Response("null", { status: 599 });
      const html = await res.text();
      return Response.json({ status: res.status, cards: html.split('data-testid="art-card"').length - 1,
        none: (await handler(new Request("http://127.0.0.1/api/x"), platform)) === null });
    } };`;
  const RUNNER = `import worker from "./worker.js";
    const res = await worker.fetch(new Request("http://127.0.0.1/"));
    console.log(JSON.stringify(await res.json()));`;
  const expected = { status: 200, cards: 1, none: true };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "site-bundle-"));
    copyFileSync(bundlePath, join(dir, "entry.fetch.js"));
    writeFileSync(join(dir, "package.json"), '{"type":"module"}');
    writeFileSync(join(dir, "worker.js"), WORKER);
    writeFileSync(join(dir, "run.js"), RUNNER);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function lastJson(stdout: string): unknown {
    return JSON.parse(stdout.trim().split("\n").pop() ?? "null");
  }

  test("plain Node (no tsx)", () => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const r = spawnSync(process.execPath, ["run.js"], { cwd: dir, env, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lastJson(r.stdout), expected);
  });

  test("Deno", () => {
    const deno = join(repoDir, "node_modules", "deno", "bin.cjs");
    const env: NodeJS.ProcessEnv = { ...process.env, DENO_NO_UPDATE_CHECK: "1" };
    delete env.NODE_OPTIONS;
    const r = spawnSync(process.execPath, [deno, "run", "--no-config", "-A", "run.js"], { cwd: dir, env, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lastJson(r.stdout), expected);
  });

  test("workerd (wrangler's bundler, nodejs_compat)", async () => {
    process.env.WRANGLER_SEND_METRICS = "false";
    process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
    const { unstable_startWorker } = await import("wrangler");
    const worker = await unstable_startWorker({
      name: "site-bundle-check",
      entrypoint: join(dir, "worker.js"),
      compatibilityDate: "2026-04-26",
      compatibilityFlags: ["nodejs_compat"],
      dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, logLevel: "error" },
    });
    try {
      await worker.ready;
      const res = await worker.fetch("http://127.0.0.1/");
      assert.deepEqual(await res.json(), expected);
    } finally {
      await worker.dispose();
    }
  });
});

describe("issue 7 pages", () => {
  test("the personal feed and vibe rows come first when the API has them", async () => {
    const reco = { mode: "personal", items: [{ ...summary(5), why: { kind: "liked", artworkId: 1, title: "Fox", text: "because you liked “Fox”" } }], next: null };
    const vibes = { vibes: [{ id: "animals", name: "Animals", tagline: "fox · owl", tags: [], clusters: [], items: [summary(8)] }] };
    const { platform, calls } = fakePlatform([
      (u) => (u.pathname === "/api/feed/recommended" ? Response.json(reco) : undefined),
      (u) => (u.pathname === "/api/vibes" ? Response.json(vibes) : undefined),
    ]);
    const { res, doc } = await get("/", platform);
    assert.ok(res && doc);
    assert.deepEqual(calls, ["/api/feed/recommended?limit=24", "/api/vibes"]);
    assert.match(res.headers.get("cache-control") ?? "", /private/);
    assert.equal(one(doc, '[data-testid="vibe-row"] h2').textContent, "Animals");
    assert.equal(one(doc, '[data-testid="card-reason"]').textContent, "because you liked “Fox”");
    assert.equal(one(doc, "#feed-heading").textContent, "Picked for you");
  });

  test("search filters travel from the URL to the API (prices in cents) and back into the form", async () => {
    const { platform, calls } = fakePlatform();
    const { doc } = await get("/search?q=fox&minPrice=10&maxPrice=50&orientation=landscape&colour=blue&size=large&tag=snow&shop=x&bogus=1", platform);
    assert.ok(doc);
    assert.deepEqual(calls, ["/api/search?q=fox&limit=24&minPrice=1000&maxPrice=5000&orientation=landscape&size=large&colour=blue&tag=snow&shop=x"]);
    assert.equal(one(doc, '[data-testid="filter-orientation"] option[selected]').getAttribute("value"), "landscape");
    assert.equal(one(doc, '[data-testid="filter-min-price"]').getAttribute("value"), "10");
    assert.equal(one(doc, '[data-testid="more-link"]').getAttribute("href"), "/search?q=fox&minPrice=10&maxPrice=50&orientation=landscape&size=large&colour=blue&tag=snow&shop=x&cursor=s2");
  });

  test("personal pages show a clear pending state when their endpoint is missing, and are never shared-cached", async () => {
    const { platform } = fakePlatform();
    for (const path of ["/favourites", "/walls", "/history", "/account", "/taste"]) {
      const { res, doc } = await get(path, platform, { headers: { cookie: "sid=abc" } });
      assert.ok(res && doc, path);
      assert.equal(res.status, 200, path);
      assert.ok(doc.querySelector('[data-testid="feature-pending"]'), path);
      assert.match(res.headers.get("cache-control") ?? "", /private, no-store/, path);
    }
  });

  test("a cookieless visitor on a personal page is sent back with a session first", async () => {
    const { platform, calls } = fakePlatform();
    const res = await handler(new Request(`${ORIGIN}/walls`), platform);
    assert.equal(res?.status, 302);
    assert.equal(res?.headers.get("location"), "/walls?s=1");
    assert.deepEqual(calls, []);
  });

  test("editorial Markdown pages, the journal and the sitemap", async () => {
    const { platform } = fakePlatform();
    const about = await get("/about", platform);
    assert.equal(about.res?.status, 200);
    assert.equal(one(about.doc!, "h1").textContent, "About Art Snob");
    const blog = await get("/blog", platform);
    const first = one(blog.doc!, '[data-testid="post-list"] a').getAttribute("href")!;
    const post = await get(first, platform);
    assert.equal(post.res?.status, 200);
    assert.ok(post.doc!.querySelector('[data-testid="editorial"] h2'));
    assert.equal((await get("/blog/nope", platform)).res?.status, 404);
    const sitemap = await handler(new Request(`${ORIGIN}/sitemap.xml`), platform);
    const xml = await sitemap!.text();
    assert.match(sitemap!.headers.get("content-type") ?? "", /xml/);
    for (const id of [...feedPage1.items, ...feedPage2.items].map((a) => a.id)) assert.ok(xml.includes(`${ORIGIN}/art/${id}</loc>`));
    assert.ok(xml.includes(`${ORIGIN}/about</loc>`));
  });
});
