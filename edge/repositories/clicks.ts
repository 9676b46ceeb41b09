// Affiliate click-outs, recorded before the redirect.
import type { Db } from "../../common/db/client.ts";
import { affiliateClicks } from "../../common/db/schema.ts";

export class ClickRepository {
  constructor(private readonly db: Db) {}

  async record(click: { artworkId: number; sizeLabel: string | null; sessionId: string | null; targetUrl: string }): Promise<void> {
    await this.db.insert(affiliateClicks).values(click);
  }
}
