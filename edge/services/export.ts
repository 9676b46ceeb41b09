// A user's data: export as one JSON document, or delete all of it. Anonymous sessions can do both for
// their own session; signed-in users cover every session of their account.
import type { Session } from "../middleware/session.ts";
import type { ActionRepository } from "../repositories/action.ts";
import type { ClickHistoryRepository } from "../repositories/clicks.ts";
import type { UserRepository } from "../repositories/user.ts";
import type { WallRepository } from "../repositories/wall.ts";
import { actionView, ownerOf } from "./action.ts";
import { randomId } from "./session-cookie.ts";
import type { SessionService } from "./session.ts";
import type { WallService } from "./wall.ts";

export class ExportService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionService,
    private readonly actions: ActionRepository,
    private readonly walls: WallRepository,
    private readonly wallViews: WallService,
    private readonly clicks: ClickHistoryRepository,
  ) {}

  private async sessionIds(s: Session): Promise<string[]> {
    const ids = s.userId ? await this.sessions.repo.idsOfUser(s.userId) : [];
    return [...new Set([s.id, ...ids])];
  }

  async exportData(s: Session): Promise<Record<string, unknown>> {
    const ids = await this.sessionIds(s);
    const user = s.userId ? await this.users.findById(s.userId) : null;
    return {
      format: "artsnob-user-export",
      version: 1,
      exportedAt: new Date().toISOString(),
      user: user ? { id: user.id, email: user.email, createdAt: user.createdAt } : null,
      session: { id: s.id },
      actions: (await this.actions.all(ownerOf(s))).map(actionView),
      walls: await this.wallViews.list(s),
      exposures: (await this.actions.exposuresOf(ids)).map((e) => ({ artworkId: e.artworkId, surface: e.surface, count: e.count, lastAt: e.lastAt })),
      clicks: await this.clicks.bySessions(ids),
    };
  }

  /** Deletes everything of the caller (and the account when signed in); returns a fresh anonymous session. */
  async deleteData(s: Session): Promise<Session> {
    const ids = await this.sessionIds(s);
    const o = ownerOf(s);
    await this.actions.deleteOwned(o);
    await this.walls.deleteOwned(o);
    await this.actions.deleteExposures(ids);
    await this.clicks.deleteBySessions(ids);
    for (const id of ids) await this.sessions.repo.delete(id);
    if (s.userId) await this.users.delete(s.userId);
    return { id: randomId(), userId: null };
  }
}
