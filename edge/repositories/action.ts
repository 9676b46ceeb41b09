// Rows of `actions` (likes, dislikes, skips, views, searches, undos) and `exposures`.
// Every query is scoped by an Owner: a signed-in user's rows, or an anonymous session's own rows.
import { and, desc, eq, inArray, isNull, lt, sql, type SQL } from "drizzle-orm";
import type { ActionKind } from "../../common/domain.ts";
import type { Db } from "../../common/db/client.ts";
import { actions, exposures } from "../../common/db/schema.ts";

export interface Owner {
  sessionId: string;
  userId: string | null;
}

export const ownsAction = (o: Owner): SQL =>
  o.userId ? eq(actions.userId, o.userId) : and(eq(actions.sessionId, o.sessionId), isNull(actions.userId))!;

export type ActionRow = typeof actions.$inferSelect;

export class ActionRepository {
  constructor(private readonly db: Db) {}

  async insert(o: Owner, a: { kind: ActionKind; artworkId?: number | null; query?: string | null; targetActionId?: number | null }): Promise<ActionRow> {
    const rows = await this.db
      .insert(actions)
      .values({ sessionId: o.sessionId, userId: o.userId, kind: a.kind, artworkId: a.artworkId ?? null, query: a.query ?? null, targetActionId: a.targetActionId ?? null })
      .returning();
    return rows[0]!;
  }

  async findOwned(o: Owner, id: number): Promise<ActionRow | null> {
    const rows = await this.db.select().from(actions).where(and(eq(actions.id, id), ownsAction(o))).limit(1);
    return rows[0] ?? null;
  }

  /** The newest action of `kinds` that is not undone. */
  async lastUndoable(o: Owner, kinds: readonly ActionKind[]): Promise<ActionRow | null> {
    const rows = await this.db
      .select()
      .from(actions)
      .where(and(ownsAction(o), inArray(actions.kind, [...kinds]), isNull(actions.undoneAt)))
      .orderBy(desc(actions.id))
      .limit(1);
    return rows[0] ?? null;
  }

  async markUndone(id: number, at: string): Promise<boolean> {
    const r = await this.db.update(actions).set({ undoneAt: at }).where(and(eq(actions.id, id), isNull(actions.undoneAt))).returning({ id: actions.id });
    return r.length === 1;
  }

  /** Newest first, keyset by id. */
  async page(o: Owner, beforeId: number | null, limit: number, kinds?: readonly ActionKind[]): Promise<ActionRow[]> {
    const where = [ownsAction(o)];
    if (beforeId !== null) where.push(lt(actions.id, beforeId));
    if (kinds?.length) where.push(inArray(actions.kind, [...kinds]));
    return this.db.select().from(actions).where(and(...where)).orderBy(desc(actions.id)).limit(limit);
  }

  /** Latest like/dislike per work that is not undone (newest first). */
  async opinions(o: Owner, limit = 500): Promise<Array<{ artworkId: number; kind: "like" | "dislike" }>> {
    const rows = await this.db
      .select({ artworkId: actions.artworkId, kind: actions.kind })
      .from(actions)
      .where(and(ownsAction(o), inArray(actions.kind, ["like", "dislike"]), isNull(actions.undoneAt)))
      .orderBy(desc(actions.id))
      .limit(limit * 4);
    const seen = new Set<number>();
    const out: Array<{ artworkId: number; kind: "like" | "dislike" }> = [];
    for (const r of rows) {
      if (r.artworkId === null || seen.has(r.artworkId)) continue;
      seen.add(r.artworkId);
      out.push({ artworkId: r.artworkId, kind: r.kind as "like" | "dislike" });
      if (out.length >= limit) break;
    }
    return out;
  }

  async all(o: Owner): Promise<ActionRow[]> {
    return this.db.select().from(actions).where(ownsAction(o)).orderBy(actions.id);
  }

  /** Sign-in: the anonymous session's rows join the account. */
  async adopt(sessionId: string, userId: string): Promise<void> {
    await this.db.update(actions).set({ userId }).where(and(eq(actions.sessionId, sessionId), isNull(actions.userId)));
  }

  async deleteOwned(o: Owner): Promise<void> {
    await this.db.delete(actions).where(ownsAction(o));
  }

  async logExposures(sessionId: string, artworkIds: readonly number[], surface: string): Promise<void> {
    if (artworkIds.length === 0) return;
    const at = new Date().toISOString();
    await this.db
      .insert(exposures)
      .values(artworkIds.map((artworkId) => ({ sessionId, artworkId, surface, lastAt: at })))
      .onConflictDoUpdate({ target: [exposures.sessionId, exposures.artworkId, exposures.surface], set: { count: sql`${exposures.count} + 1`, lastAt: at } });
  }

  async exposuresOf(sessionIds: readonly string[]) {
    if (sessionIds.length === 0) return [];
    return this.db.select().from(exposures).where(inArray(exposures.sessionId, [...sessionIds]));
  }

  /** Sign-in rotates the session id; exposures follow it so the ranking penalty is kept. */
  async moveExposures(fromSession: string, toSession: string): Promise<void> {
    await this.db.run(sql`INSERT INTO exposures (session_id, artwork_id, surface, count, last_at)
      SELECT ${toSession}, artwork_id, surface, count, last_at FROM exposures WHERE session_id = ${fromSession}
      ON CONFLICT (session_id, artwork_id, surface) DO UPDATE SET count = exposures.count + excluded.count, last_at = excluded.last_at`);
    await this.db.delete(exposures).where(eq(exposures.sessionId, fromSession));
  }

  async deleteExposures(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length) await this.db.delete(exposures).where(inArray(exposures.sessionId, [...sessionIds]));
  }
}
