// Bulk reads behind the in-memory catalog snapshot: every active work with the columns list views,
// filters and ranking need (no descriptions), and the offers (duplicate listings) of each work.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";
import { artworks, shops } from "../../common/db/schema.ts";

const snapshotColumns = {
  id: artworks.id,
  shopId: artworks.shopId,
  shopName: shops.name,
  title: artworks.title,
  artist: artworks.artist,
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
  duplicateOf: artworks.duplicateOf,
};

export type SnapshotRow = Awaited<ReturnType<ArtworkSnapshotRepository["activeRows"]>>[number];

export class ArtworkSnapshotRepository {
  constructor(private readonly db: Db) {}

  /** Every active work, in id order. One query: the snapshot is rebuilt at most every few seconds. */
  activeRows() {
    return this.db
      .select(snapshotColumns)
      .from(artworks)
      .innerJoin(shops, eq(shops.id, artworks.shopId))
      .where(eq(artworks.status, "active"))
      .orderBy(artworks.id);
  }

  /** Cheap change detector: the snapshot reloads only when this differs. */
  async fingerprint(): Promise<string> {
    const rows = await this.db.all<{ n: number; m: number | null; u: string | null }>(
      sql`SELECT count(*) AS n, max(id) AS m, max(updated_at) AS u FROM artworks`,
    );
    const r = rows[0];
    return `${r?.n ?? 0}:${r?.m ?? 0}:${r?.u ?? ""}`;
  }
}
