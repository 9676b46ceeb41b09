// A session's taste signals for ranking: its recent likes, dislikes, skips and searches (undone
// actions excluded), and how often each work was already shown to it (exposures).
import { sql } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";

export interface TasteSignals {
  /** Highest action id considered: later actions wait for the next first page (stable paging). */
  maxActionId: number;
  /** Most recent first, distinct. */
  liked: number[];
  disliked: number[];
  skipped: number[];
  searches: string[];
}

const RECENT_ACTIONS = 300;

export class ArtworkSignalsRepository {
  constructor(private readonly db: Db) {}

  /** Actions of the session, or of its signed-in user across sessions. `upTo` freezes a paging context. */
  async taste(sessionId: string, userId: string | null, upTo?: number): Promise<TasteSignals> {
    const who = userId ? sql`(a.session_id = ${sessionId} OR a.user_id = ${userId})` : sql`a.session_id = ${sessionId}`;
    const bound = upTo === undefined ? sql`` : sql`AND a.id <= ${upTo}`;
    const rows = await this.db.all<{ id: number; kind: string; artwork_id: number | null; query: string | null }>(sql`
      SELECT a.id, a.kind, a.artwork_id, a.query FROM actions a
      WHERE ${who} ${bound} AND a.undone_at IS NULL AND a.kind IN ('like','dislike','skip','search')
        AND NOT EXISTS (SELECT 1 FROM actions u WHERE u.kind = 'undo' AND u.target_action_id = a.id)
      ORDER BY a.id DESC LIMIT ${RECENT_ACTIONS}`);
    const out: TasteSignals = { maxActionId: 0, liked: [], disliked: [], skipped: [], searches: [] };
    const decided = new Set<number>();
    for (const r of rows) {
      out.maxActionId = Math.max(out.maxActionId, Number(r.id));
      if (r.kind === "search") {
        const q = (r.query ?? "").trim();
        if (q && !out.searches.includes(q)) out.searches.push(q);
        continue;
      }
      const id = Number(r.artwork_id);
      if (!Number.isInteger(id) || id <= 0 || decided.has(id)) continue; // the latest verdict on a work wins
      decided.add(id);
      (r.kind === "like" ? out.liked : r.kind === "dislike" ? out.disliked : out.skipped).push(id);
    }
    if (upTo !== undefined) out.maxActionId = upTo;
    return out;
  }

  /**
   * Times each work was shown to the session, as of `beforeIso` (the start of a paging context): rows
   * touched since then are left out, so works shown meanwhile do not reorder a context's later pages.
   */
  async exposures(sessionId: string, beforeIso: string): Promise<Map<number, number>> {
    const rows = await this.db.all<{ artwork_id: number; n: number }>(sql`
      SELECT artwork_id, sum(CASE WHEN last_at < ${beforeIso} THEN count ELSE 0 END) AS n
      FROM exposures WHERE session_id = ${sessionId} GROUP BY artwork_id`);
    const out = new Map<number, number>();
    for (const r of rows) if (Number(r.n) > 0) out.set(Number(r.artwork_id), Number(r.n));
    return out;
  }

  /** Logs works shown on a surface (one statement; counts accumulate per work and surface). */
  async recordExposures(sessionId: string, ids: number[], surface: string): Promise<void> {
    if (ids.length === 0) return;
    const values = sql.join(ids.slice(0, 90).map((id) => sql`(${sessionId}, ${id}, ${surface}, 1)`), sql`, `);
    await this.db.run(sql`
      INSERT INTO exposures (session_id, artwork_id, surface, count) VALUES ${values}
      ON CONFLICT (session_id, artwork_id, surface) DO UPDATE SET count = count + 1,
        last_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`);
  }
}
