// Rows of `users` (email unique, argon2id PHC hash).
import { eq } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";
import { users } from "../../common/db/schema.ts";

export class UserRepository {
  constructor(private readonly db: Db) {}

  async findByEmail(email: string) {
    const rows = await this.db.select().from(users).where(eq(users.email, email)).limit(1);
    return rows[0] ?? null;
  }

  async findById(id: string) {
    const rows = await this.db.select({ id: users.id, email: users.email, createdAt: users.createdAt }).from(users).where(eq(users.id, id)).limit(1);
    return rows[0] ?? null;
  }

  /** false when the email is taken (unique constraint). */
  async create(id: string, email: string, passwordHash: string): Promise<boolean> {
    const r = await this.db.insert(users).values({ id, email, passwordHash }).onConflictDoNothing().returning({ id: users.id });
    return r.length === 1;
  }

  async setHash(id: string, passwordHash: string): Promise<void> {
    await this.db.update(users).set({ passwordHash }).where(eq(users.id, id));
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(users).where(eq(users.id, id));
  }
}
