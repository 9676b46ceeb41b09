// JSON fixtures in the API's shapes (common/api.ts) and a fake SitePlatform serving them, for the
// site's SSR unit tests. The real data path (edge → DB) is covered by the end-to-end test.
import type {
  ApiError,
  ArtworkResponse,
  FeedResponse,
  SearchResponse,
  SimilarResponse,
  SitePlatform,
} from "../common/api.ts";
import type { ArtworkSummary } from "../common/domain.ts";

export function summary(id: number, over: Partial<ArtworkSummary> = {}): ArtworkSummary {
  return {
    id,
    title: `Fox in the snow ${id}`,
    artist: id % 2 ? "Ada Lovelace" : null,
    shop: "Fixture Prints",
    orientation: "portrait",
    fromPriceCents: 1900 + id,
    currency: "USD",
    image: {
      width: 800,
      height: 1000,
      url: `/img/ab${id}/w500.webp`,
      srcset: [100, 250, 500].map((w) => ({ width: w, url: `/img/ab${id}/w${w}.webp` })),
    },
    ...over,
  };
}

export function detail(id: number): ArtworkResponse {
  return {
    ...summary(id),
    description: "A red fox <crossing> a snowy field & looking back.",
    tags: ["fox", "winter"],
    category: "animals",
    sizes: [
      { label: "Small", widthCm: 20, heightCm: 25, priceCents: 1900 + id, currency: "USD" },
      { label: "Large 50x70", widthCm: 50, heightCm: 70, priceCents: 7950, currency: "USD" },
      { label: "Poster", widthCm: null, heightCm: null, priceCents: null, currency: "USD" },
    ],
    canonicalUrl: `http://127.0.0.1:9/product/${id}`,
    buyUrl: `/go/${id}`,
    firstSeen: "2026-11-26T00:00:00.000Z",
    lastSeen: "2026-11-26T00:00:00.000Z",
    status: "active",
  };
}

export const feedPage1: FeedResponse = { items: [1, 2, 3, 4, 5].map((i) => summary(i)), next: "c/2+x=" };
export const feedPage2: FeedResponse = { items: [6, 7].map((i) => summary(i)), next: null };
export const similarOf42: SimilarResponse = {
  items: [43, 44, 45].map((i) => ({ ...summary(i), score: 1 - i / 100 })),
  next: null,
};
export const searchFox: SearchResponse = { items: [7, 9].map((i) => summary(i)), next: "s2", query: "fox", total: 12 };

type Route = (url: URL) => Response | Promise<Response> | undefined;

function apiError(status: number, code: string, message: string): Response {
  const body: ApiError = { error: { code, message } };
  return Response.json(body, { status });
}

/** A fake platform: routes API paths to fixtures and records every call the site makes. */
export function fakePlatform(overrides: Route[] = []) {
  const calls: string[] = [];
  const routes: Route[] = [
    ...overrides,
    (u) => (u.pathname === "/api/feed" && !u.searchParams.get("cursor") ? Response.json(feedPage1) : undefined),
    (u) => (u.pathname === "/api/feed" && u.searchParams.get("cursor") === feedPage1.next ? Response.json(feedPage2) : undefined),
    (u) => (u.pathname === "/api/feed" ? apiError(400, "bad_cursor", "The cursor is not valid.") : undefined),
    (u) => (u.pathname === "/api/art/42" ? Response.json(detail(42)) : undefined),
    (u) => (u.pathname === "/api/art/42/similar" ? Response.json(similarOf42) : undefined),
    (u) => (u.pathname === "/api/search" && u.searchParams.get("q") === "fox" ? Response.json(searchFox) : undefined),
    (u) =>
      u.pathname === "/api/search"
        ? Response.json({ items: [], next: null, query: u.searchParams.get("q") ?? "", total: 0 } satisfies SearchResponse)
        : undefined,
  ];
  const platform: SitePlatform = {
    runtime: "node",
    async api(path: string): Promise<Response> {
      calls.push(path);
      const url = new URL(path, "http://api.invalid");
      for (const route of routes) {
        const res = await route(url);
        if (res) return res;
      }
      // The edge's answer for an endpoint that does not exist (error-handler.ts notFoundHandler).
      return apiError(404, "not_found", `no route for GET ${url.pathname}`);
    },
  };
  return { platform, calls };
}
