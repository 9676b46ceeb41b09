// /sitemap.xml: the fixed pages, the journal and every work (walking the feed's cursor pages).
import type { RequestHandler } from "@builder.io/qwik-city";
import type { FeedResponse } from "../../../../common/api.ts";
import { apiGet, apiPath } from "../../lib/api.ts";
import { listPosts } from "../../lib/content.ts";

const MAX_WORKS = 45_000; // below the sitemap protocol's 50,000-URL limit
const FIXED = ["/", "/search", "/taste", "/map", "/blog", "/about", "/privacy", "/terms"];

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export const onGet: RequestHandler = async (ev) => {
  const origin = ev.url.origin;
  const urls = [...FIXED, ...listPosts().map((p) => `/blog/${p.slug}`)];
  let cursor: string | null = null;
  let works = 0;
  do {
    const r: Awaited<ReturnType<typeof apiGet<FeedResponse>>> = await apiGet<FeedResponse>(ev, apiPath("/api/feed", { cursor, limit: 100 }));
    if (!r.ok) break;
    for (const a of r.data.items) urls.push(`/art/${a.id}`);
    works += r.data.items.length;
    cursor = r.data.next;
  } while (cursor && works < MAX_WORKS);
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n` +
    urls.map((u) => `<url><loc>${xmlEscape(origin + u)}</loc></url>`).join("\n") +
    `\n</urlset>\n`;
  ev.headers.set("cache-control", "public, max-age=3600");
  ev.send(new Response(body, { headers: { "content-type": "application/xml; charset=utf-8", "cache-control": "public, max-age=3600" } }));
};
