// Affiliate click-outs, recorded before the redirect.
import { inArray } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";
import { affiliateClicks } from "../../common/db/schema.ts";

export class ClickRepository {
  constructor(private readonly db: Db) {}

  async record(click: { artworkId: number; sizeLabel: string | null; sessionId: string | null; targetUrl: string }): Promise<void> {
    await this.db.insert(affiliateClicks).values(click);
  }
}

// Data export and deletion: a user's clicks are found through their session ids.

export class ClickHistoryRepository {
  constructor(private readonly db: Db) {}

  async bySessions(sessionIds: readonly string[]) {
    if (sessionIds.length === 0) return [];
    return this.db
      .select({ artworkId: affiliateClicks.artworkId, sizeLabel: affiliateClicks.sizeLabel, createdAt: affiliateClicks.createdAt })
      .from(affiliateClicks)
      .where(inArray(affiliateClicks.sessionId, [...sessionIds]));
  }

  async deleteBySessions(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length) await this.db.delete(affiliateClicks).where(inArray(affiliateClicks.sessionId, [...sessionIds]));
  }
}
