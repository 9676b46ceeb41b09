// The one database schema (drizzle-orm, SQLite/libsql). Migrations in /migrations are generated
// from this file by `npm run db:generate`; FTS5 lives in a hand-written migration.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { ImageVariants, PrintSize } from "../domain.ts";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
const createdAt = () => text("created_at").notNull().default(now);

export const shops = sqliteTable("shops", {
  id: text("id").primaryKey(), // slug from the shop config, e.g. "openclipart-prints"
  name: text("name").notNull(),
  baseUrl: text("base_url").notNull(),
  currency: text("currency").notNull().default("USD"),
  /** Affiliate URL template, e.g. "{url}?ref=artsnob&size={size}". */
  affiliateTemplate: text("affiliate_template"),
  createdAt: createdAt(),
});

export const artworks = sqliteTable(
  "artworks",
  {
    /** Stable id: assigned once, kept across re-crawls (upsert by shop + canonical URL). */
    id: integer("id").primaryKey({ autoIncrement: true }),
    shopId: text("shop_id").notNull().references(() => shops.id),
    sourceUrl: text("source_url").notNull(),
    canonicalUrl: text("canonical_url").notNull(),
    title: text("title").notNull(),
    artist: text("artist"),
    description: text("description"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    category: text("category"),
    categories: text("categories", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    sizes: text("sizes", { mode: "json" }).$type<PrintSize[]>().notNull().default(sql`'[]'`),
    currency: text("currency"),
    minPriceCents: integer("min_price_cents"),
    orientation: text("orientation", { enum: ["portrait", "landscape", "square"] }),
    imageUrl: text("image_url"),
    /** sha256 (hex) of the original image bytes; names the bucket objects. */
    imageHash: text("image_hash"),
    imageWidth: integer("image_width"),
    imageHeight: integer("image_height"),
    imageVariants: text("image_variants", { mode: "json" }).$type<ImageVariants>().notNull().default(sql`'{}'`),
    affiliateUrl: text("affiliate_url"),
    /** Parser warnings (missing fields, malformed markup) kept with the item, never a crash. */
    warnings: text("warnings", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** sha256 of the normalised extracted record; unchanged content is not rewritten. */
    contentHash: text("content_hash"),
    status: text("status", { enum: ["active", "removed"] }).notNull().default("active"),
    /** 256-bit dHash of the image (64 hex), for near-duplicate detection across shops. */
    phash: text("phash"),
    /** Set when this listing shows the same work as an earlier one (same image bytes or a near-identical
     * image): it is another offer of that work, not a work of its own. Null for primary works. */
    duplicateOf: integer("duplicate_of"),
    firstSeen: text("first_seen").notNull().default(now),
    lastSeen: text("last_seen").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("artworks_shop_canonical").on(t.shopId, t.canonicalUrl),
    index("artworks_image_hash").on(t.imageHash),
    index("artworks_status").on(t.status),
    index("artworks_duplicate_of").on(t.duplicateOf),
  ],
);

/** Price and size changes over time, one row per observed change. */
export const priceHistory = sqliteTable(
  "price_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    artworkId: integer("artwork_id").notNull().references(() => artworks.id),
    sizes: text("sizes", { mode: "json" }).$type<PrintSize[]>().notNull(),
    observedAt: text("observed_at").notNull().default(now),
  },
  (t) => [index("price_history_artwork").on(t.artworkId)],
);

export const tags = sqliteTable("tags", {
  name: text("name").primaryKey(), // normalised (lower case, singular)
  label: text("label").notNull(),
  count: integer("count").notNull().default(0),
  score: real("score").notNull().default(0),
  weightedScore: real("weighted_score").notNull().default(0),
});

export const artworkTags = sqliteTable(
  "artwork_tags",
  {
    artworkId: integer("artwork_id").notNull().references(() => artworks.id),
    tag: text("tag").notNull(),
    score: real("score").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.artworkId, t.tag] }), index("artwork_tags_tag").on(t.tag, t.score)],
);

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  createdAt: createdAt(),
});

/** Anonymous or signed-in session. The cookie carries the id, signed (HMAC) by the edge. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").references(() => users.id),
    createdAt: createdAt(),
    lastSeenAt: text("last_seen_at").notNull().default(now),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const actions = sqliteTable(
  "actions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: text("session_id").notNull(),
    userId: text("user_id"),
    kind: text("kind", { enum: ["like", "dislike", "skip", "view", "click", "search", "undo"] }).notNull(),
    artworkId: integer("artwork_id"),
    query: text("query"),
    /** For `undo`: the action it reverts. Undone actions keep their row and get `undoneAt`. */
    targetActionId: integer("target_action_id"),
    undoneAt: text("undone_at"),
    createdAt: createdAt(),
  },
  (t) => [index("actions_session").on(t.sessionId, t.createdAt), index("actions_user").on(t.userId, t.createdAt)],
);

/** Works shown to a session, for the exposure penalty in ranking. */
export const exposures = sqliteTable(
  "exposures",
  {
    sessionId: text("session_id").notNull(),
    artworkId: integer("artwork_id").notNull(),
    surface: text("surface").notNull(),
    count: integer("count").notNull().default(1),
    lastAt: text("last_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.artworkId, t.surface] })],
);

export const walls = sqliteTable(
  "walls",
  {
    id: text("id").primaryKey(),
    ownerSessionId: text("owner_session_id").notNull(),
    ownerUserId: text("owner_user_id"),
    name: text("name").notNull(),
    /** Unguessable public id while shared; null when not shared or revoked. */
    shareId: text("share_id").unique(),
    widthCm: real("width_cm").notNull().default(300),
    heightCm: real("height_cm").notNull().default(250),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [index("walls_owner_session").on(t.ownerSessionId), index("walls_owner_user").on(t.ownerUserId)],
);

export const wallItems = sqliteTable(
  "wall_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    wallId: text("wall_id").notNull().references(() => walls.id, { onDelete: "cascade" }),
    artworkId: integer("artwork_id").notNull().references(() => artworks.id),
    sizeLabel: text("size_label").notNull(),
    frameColor: text("frame_color").notNull().default("black"),
    xCm: real("x_cm").notNull().default(0),
    yCm: real("y_cm").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("wall_items_wall").on(t.wallId)],
);

export const affiliateClicks = sqliteTable(
  "affiliate_clicks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    artworkId: integer("artwork_id").notNull(),
    sizeLabel: text("size_label"),
    sessionId: text("session_id"),
    targetUrl: text("target_url").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("affiliate_clicks_artwork").on(t.artworkId)],
);

/** Crawl frontier and per-URL HTTP state; the crawler resumes from here after any stop. */
export const crawlUrls = sqliteTable(
  "crawl_urls",
  {
    url: text("url").primaryKey(),
    shopId: text("shop_id").notNull(),
    kind: text("kind", { enum: ["robots", "sitemap", "listing", "product", "image"] }).notNull(),
    state: text("state", { enum: ["queued", "done", "failed", "skipped", "gone"] }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at"),
    etag: text("etag"),
    lastModified: text("last_modified"),
    /** `<lastmod>` from the sitemap, to skip products that did not change. */
    sitemapLastmod: text("sitemap_lastmod"),
    contentHash: text("content_hash"),
    statusCode: integer("status_code"),
    error: text("error"),
    discoveredAt: text("discovered_at").notNull().default(now),
    fetchedAt: text("fetched_at"),
    runId: integer("run_id"),
  },
  (t) => [index("crawl_urls_queue").on(t.shopId, t.state, t.nextAttemptAt)],
);

export const crawlRuns = sqliteTable("crawl_runs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  shopId: text("shop_id").notNull(),
  startedAt: text("started_at").notNull().default(now),
  finishedAt: text("finished_at"),
  stats: text("stats", { mode: "json" }).$type<Record<string, number>>().notNull().default(sql`'{}'`),
});

/** Batch pipeline runs, one row per stage execution. */
export const pipelineRuns = sqliteTable("pipeline_runs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  stage: text("stage").notNull(),
  shard: text("shard"),
  status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
  inputHash: text("input_hash"),
  startedAt: text("started_at").notNull().default(now),
  finishedAt: text("finished_at"),
  stats: text("stats", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
});

/** Exported artifact sets; `published` marks what the pointer names now. */
export const artifactVersions = sqliteTable("artifact_versions", {
  version: text("version").primaryKey(),
  manifestSha256: text("manifest_sha256").notNull(),
  count: integer("count").notNull(),
  status: text("status", { enum: ["built", "published", "retired"] }).notNull().default("built"),
  createdAt: createdAt(),
  publishedAt: text("published_at"),
});
