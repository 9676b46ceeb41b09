// Session bookkeeping used by the session middleware and the account service.
import type { SessionRepository } from "../repositories/session.ts";
import type { SessionLookup } from "../middleware/session.ts";

export class SessionService implements SessionLookup {
  constructor(readonly repo: SessionRepository) {}

  async userOf(sessionId: string): Promise<string | null> {
    return (await this.repo.find(sessionId))?.userId ?? null;
  }

  /** Called before a session's first write so exports and merges can find it. */
  ensure(sessionId: string, userId: string | null): Promise<void> {
    return this.repo.ensure(sessionId, userId);
  }
}
