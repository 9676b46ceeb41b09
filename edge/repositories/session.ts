// Rows of `sessions`: created lazily on a session's first write, linked to a user on sign-in.
import { eq } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";
import { sessions } from "../../common/db/schema.ts";

export class SessionRepository {
  constructor(private readonly db: Db) {}

  async find(id: string): Promise<{ id: string; userId: string | null } | null> {
    const rows = await this.db.select({ id: sessions.id, userId: sessions.userId }).from(sessions).where(eq(sessions.id, id)).limit(1);
    return rows[0] ?? null;
  }

  /** Make sure the row exists (anonymous sessions live only in their cookie until they write). */
  async ensure(id: string, userId: string | null): Promise<void> {
    await this.db
      .insert(sessions)
      .values({ id, userId })
      .onConflictDoUpdate({ target: sessions.id, set: { lastSeenAt: new Date().toISOString() } });
  }

  async setUser(id: string, userId: string | null): Promise<void> {
    await this.db
      .insert(sessions)
      .values({ id, userId })
      .onConflictDoUpdate({ target: sessions.id, set: { userId, lastSeenAt: new Date().toISOString() } });
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.id, id));
  }

  async idsOfUser(userId: string): Promise<string[]> {
    const rows = await this.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
    return rows.map((r) => r.id);
  }

  async deleteByUser(userId: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.userId, userId));
  }
}
