// Rows of `walls` and `wall_items`. Reads and writes are scoped by Owner (see action.ts); a wall that is
// not the caller's is indistinguishable from a missing one.
import { and, asc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";
import { wallItems, walls } from "../../common/db/schema.ts";
import type { Owner } from "./action.ts";

export type WallRow = typeof walls.$inferSelect;
export type WallItemRow = typeof wallItems.$inferSelect;

const ownsWall = (o: Owner): SQL => (o.userId ? eq(walls.ownerUserId, o.userId) : and(eq(walls.ownerSessionId, o.sessionId), isNull(walls.ownerUserId))!);

export class WallRepository {
  constructor(private readonly db: Db) {}

  async create(o: Owner, w: { id: string; name: string; widthCm: number; heightCm: number }): Promise<WallRow> {
    const rows = await this.db.insert(walls).values({ ...w, ownerSessionId: o.sessionId, ownerUserId: o.userId }).returning();
    return rows[0]!;
  }

  async listOwned(o: Owner): Promise<WallRow[]> {
    return this.db.select().from(walls).where(ownsWall(o)).orderBy(asc(walls.createdAt), asc(walls.id));
  }

  async findOwned(o: Owner, id: string): Promise<WallRow | null> {
    const rows = await this.db.select().from(walls).where(and(eq(walls.id, id), ownsWall(o))).limit(1);
    return rows[0] ?? null;
  }

  async findByShareId(shareId: string): Promise<WallRow | null> {
    const rows = await this.db.select().from(walls).where(eq(walls.shareId, shareId)).limit(1);
    return rows[0] ?? null;
  }

  async update(o: Owner, id: string, set: Partial<Pick<WallRow, "name" | "widthCm" | "heightCm" | "shareId">>): Promise<WallRow | null> {
    const rows = await this.db
      .update(walls)
      .set({ ...set, updatedAt: new Date().toISOString() })
      .where(and(eq(walls.id, id), ownsWall(o)))
      .returning();
    return rows[0] ?? null;
  }

  async delete(o: Owner, id: string): Promise<boolean> {
    const owned = await this.findOwned(o, id);
    if (!owned) return false;
    await this.db.delete(wallItems).where(eq(wallItems.wallId, id));
    await this.db.delete(walls).where(eq(walls.id, id));
    return true;
  }

  async items(wallIds: readonly string[]): Promise<WallItemRow[]> {
    if (wallIds.length === 0) return [];
    return this.db.select().from(wallItems).where(inArray(wallItems.wallId, [...wallIds])).orderBy(asc(wallItems.id));
  }

  async countItems(wallId: string): Promise<number> {
    return (await this.items([wallId])).length;
  }

  async addItem(item: Omit<WallItemRow, "id" | "createdAt">): Promise<WallItemRow> {
    const rows = await this.db.insert(wallItems).values(item).returning();
    return rows[0]!;
  }

  async updateItem(wallId: string, itemId: number, set: Partial<Pick<WallItemRow, "sizeLabel" | "frameColor" | "xCm" | "yCm">>): Promise<WallItemRow | null> {
    const rows = await this.db.update(wallItems).set(set).where(and(eq(wallItems.id, itemId), eq(wallItems.wallId, wallId))).returning();
    return rows[0] ?? null;
  }

  async removeItem(wallId: string, itemId: number): Promise<boolean> {
    const r = await this.db.delete(wallItems).where(and(eq(wallItems.id, itemId), eq(wallItems.wallId, wallId))).returning({ id: wallItems.id });
    return r.length === 1;
  }

  async touch(wallId: string): Promise<void> {
    await this.db.update(walls).set({ updatedAt: new Date().toISOString() }).where(eq(walls.id, wallId));
  }

  async adopt(sessionId: string, userId: string): Promise<void> {
    await this.db.update(walls).set({ ownerUserId: userId }).where(and(eq(walls.ownerSessionId, sessionId), isNull(walls.ownerUserId)));
  }

  async deleteOwned(o: Owner): Promise<void> {
    const ids = (await this.listOwned(o)).map((w) => w.id);
    if (ids.length === 0) return;
    await this.db.delete(wallItems).where(inArray(wallItems.wallId, ids));
    await this.db.delete(walls).where(inArray(walls.id, ids));
  }
}
