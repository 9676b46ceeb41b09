// Data access for artworks (drizzle over the shared schema; FTS5 through raw `sql`).
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";
import { artworks, shops } from "../../common/db/schema.ts";
import { notDuplicateOfActive, notDuplicateOfActiveRaw } from "../../common/db/browsable.ts";

/** FTS hits that are works of their own (duplicate listings are offers of their primary). */
const SEARCHABLE = sql.raw(`a.status = 'active' AND ${notDuplicateOfActiveRaw("a")}`);

/** Columns every API view needs, with the shop's display name. */
const artworkColumns = {
  id: artworks.id,
  shopId: artworks.shopId,
  shopName: shops.name,
  canonicalUrl: artworks.canonicalUrl,
  title: artworks.title,
  artist: artworks.artist,
  description: artworks.description,
  tags: artworks.tags,
  category: artworks.category,
  sizes: artworks.sizes,
  currency: artworks.currency,
  minPriceCents: artworks.minPriceCents,
  orientation: artworks.orientation,
  imageHash: artworks.imageHash,
  imageWidth: artworks.imageWidth,
  imageHeight: artworks.imageHeight,
  imageVariants: artworks.imageVariants,
  affiliateUrl: artworks.affiliateUrl,
  status: artworks.status,
  firstSeen: artworks.firstSeen,
  lastSeen: artworks.lastSeen,
};

export type ArtworkRow = NonNullable<Awaited<ReturnType<ArtworkRepository["findById"]>>>;

/** SQLite hosts (D1 in particular) cap bound parameters per statement; stay well below. */
const ID_CHUNK = 90;

export class ArtworkRepository {
  constructor(private readonly db: Db) {}

  private select() {
    return this.db.select(artworkColumns).from(artworks).innerJoin(shops, eq(shops.id, artworks.shopId));
  }

  async findById(id: number) {
    const rows = await this.select().where(eq(artworks.id, id)).limit(1);
    return rows[0] ?? null;
  }

  /** Active works for the given ids, in the order of `ids` (missing or removed ones dropped). */
  async findActiveByIds(ids: readonly number[]) {
    const byId = new Map<number, ArtworkRow>();
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const chunk = ids.slice(i, i + ID_CHUNK);
      const rows = await this.select().where(and(inArray(artworks.id, chunk), eq(artworks.status, "active")));
      for (const r of rows) byId.set(r.id, r);
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Newest first, keyset-paged by id so pages never skip or repeat while works are added. Duplicate
   * listings are not works of their own (common/db/browsable.ts). */
  async pageNewest(beforeId: number | null, limit: number) {
    const active = and(eq(artworks.status, "active"), notDuplicateOfActive);
    const where = beforeId === null ? active : and(active, lt(artworks.id, beforeId));
    return this.select().where(where).orderBy(desc(artworks.id)).limit(limit);
  }

  /**
   * FTS5 BM25 ranking (title and artist weigh most), ties broken by id. Returns ids only; the caller
   * hydrates them. `match` must come from buildFtsQuery (never raw user text).
   */
  async searchIds(match: string, offset: number, limit: number): Promise<number[]> {
    const rows = await this.db.all<{ id: number }>(sql`
      SELECT a.id AS id
      FROM artworks_fts f JOIN artworks a ON a.id = f.rowid
      WHERE artworks_fts MATCH ${match} AND ${SEARCHABLE}
      ORDER BY bm25(artworks_fts, 10.0, 6.0, 4.0, 1.0, 2.0), a.id
      LIMIT ${limit} OFFSET ${offset}`);
    return rows.map((r) => Number(r.id));
  }

  async countMatches(match: string): Promise<number> {
    const rows = await this.db.all<{ n: number }>(sql`
      SELECT count(*) AS n FROM artworks_fts f JOIN artworks a ON a.id = f.rowid
      WHERE artworks_fts MATCH ${match} AND ${SEARCHABLE}`);
    return Number(rows[0]?.n ?? 0);
  }

  async ping(): Promise<void> {
    await this.db.all(sql`SELECT 1`);
  }
}
