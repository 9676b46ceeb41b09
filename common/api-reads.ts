// JSON shapes of the edge's read endpoints added in issue 6 (feeds, taste finder, tags, clusters,
// vibes, map, hybrid search, reverse image search). Additive to common/api.ts.
import type { ArtworkDetail, ArtworkSummary, Page, PrintSize } from "./domain.ts";

/** Why a work is in a personal feed. `text` is ready to show ("because you liked “Fox”"). */
export type FeedReason =
  | { kind: "liked"; artworkId: number; title: string; text: string }
  | { kind: "search"; query: string; text: string }
  | { kind: "curated"; cluster: string; text: string };

/** GET /api/feed/recommended?likes=&dislikes=&limit=&cursor= */
export interface RecommendedResponse extends Page<ArtworkSummary & { why: FeedReason }> {
  /** "personal" when likes, dislikes or searches shaped the list; "curated" for a cold session. */
  mode: "personal" | "curated";
}

export interface ClusterInfo {
  id: number;
  label: string;
  size: number;
  tags: string[];
}

/** GET /api/feed/explore?seen=&limit=&cursor= : one unseen cluster at a time. */
export interface ExploreResponse extends Page<ArtworkSummary> {
  cluster: ClusterInfo | null;
  /** Unseen clusters left after this one. */
  remaining: number;
  /** True when every cluster has been seen (cluster null, items empty). */
  done: boolean;
}

/** GET /api/feed/random?seed=&limit=&cursor= */
export interface RandomResponse extends Page<ArtworkSummary> {
  seed: number;
}

export interface TagInfo {
  name: string;
  label: string;
  count: number;
  score: number;
}

/** GET /api/tags?limit=&cursor=&q= */
export type TagsResponse = Page<TagInfo>;

/** GET /api/tags/:tags (one tag or several separated by `,` or `|`, interleaved) */
export interface TagWorksResponse extends Page<ArtworkSummary> {
  tags: TagInfo[];
}

/** GET /api/clusters */
export interface ClustersResponse extends Page<ClusterInfo & { cover: ArtworkSummary[] }> {
  source: "artifacts" | "categories";
}

/** GET /api/clusters/:id */
export interface ClusterResponse extends Page<ArtworkSummary> {
  cluster: ClusterInfo;
}

export interface Vibe {
  id: string;
  name: string;
  tagline: string;
  tags: string[];
  clusters: number[];
  items: ArtworkSummary[];
}

/** GET /api/vibes ; GET /api/vibes/:id (works of one vibe, paged) */
export interface VibesResponse {
  vibes: Vibe[];
}
export interface VibeResponse extends Page<ArtworkSummary> {
  vibe: Omit<Vibe, "items">;
}

export interface MapPoint {
  id: number;
  x: number;
  y: number;
  cluster: number | null;
  title: string;
  thumb: string;
}

/** GET /api/map?bbox=&limit=&cursor= : coordinates in [0, 1]². */
export interface MapResponse extends Page<MapPoint> {
  source: "artifacts" | "pca";
  total: number;
}

/** One shop's offer of a work (the work itself or a duplicate listing elsewhere). */
export interface Offer {
  artworkId: number;
  shop: string;
  sizes: PrintSize[];
  fromPriceCents: number | null;
  currency: string | null;
  buyUrl: string;
}

/** GET /api/art/:id (issue 6 enrichment of ArtworkDetail) */
export interface ArtworkDetailResponse extends ArtworkDetail {
  displayTags: string[];
  cluster: { id: number; label: string } | null;
  offers: Offer[];
}

/** GET /api/search?q=&…filters : hybrid lexical + CLIP when configured. */
export interface HybridSearchResponse extends Page<ArtworkSummary> {
  query: string;
  total: number;
  mode: "lexical" | "hybrid";
}

/** POST /api/similar/upload */
export interface UploadSimilarResponse {
  embedder: string;
  items: Array<ArtworkSummary & { score: number }>;
  next: null;
}
