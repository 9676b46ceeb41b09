// Shapes of the edge API's JSON, shared by the edge (producer) and the site (consumer).
import type { ArtworkDetail, ArtworkSummary, Page } from "./domain.ts";

export type { ApiError, ArtworkDetail, ArtworkSummary, Page } from "./domain.ts";

/** GET /api/health */
export interface HealthResponse {
  status: "ok" | "degraded";
  runtime: "node" | "deno" | "workerd";
  db: "ok" | "error";
  artifacts: { version: string; count: number; dim: number; embedder: string } | null;
  /** Where rate-limit buckets live: "memory" (this process or isolate), "durable-object" (shared). */
  rateLimits: string;
}

/** GET /api/feed?cursor=&limit= */
export type FeedResponse = Page<ArtworkSummary>;

/** GET /api/art/:id */
export type ArtworkResponse = ArtworkDetail;

/** GET /api/art/:id/similar?limit= ; GET /api/similar?ids=1,2,3 ("more like these") */
export interface SimilarResponse {
  items: Array<ArtworkSummary & { score: number }>;
  next: string | null;
}

/** GET /api/search?q=&cursor=&limit= */
export interface SearchResponse extends Page<ArtworkSummary> {
  query: string;
  total: number;
}

/**
 * How the edge mounts the server-rendered site on every runtime. The site's SSR bundle
 * (site/server/entry.fetch.js, built from site/src/entry.fetch.tsx) default-exports a SiteHandler;
 * the edge calls it for non-API paths. The site reads data only through `platform.api`, which
 * dispatches to the edge app in-process (no network hop, same code on Node, Deno and workerd).
 */
export interface SitePlatform {
  api(path: string, init?: RequestInit): Promise<Response>;
  runtime: "node" | "deno" | "workerd";
}
export type SiteHandler = (request: Request, platform: SitePlatform) => Promise<Response | null>;
