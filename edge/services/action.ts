// Actions with history and undo, plus exposure logging for ranking. Everything is scoped by the caller's
// session: a signed-in user's rows, or the anonymous session's own rows.
import type { ActionEntry } from "../../common/api-writes.ts";
import type { ActionKind } from "../../common/domain.ts";
import { HttpError, badRequest, notFound } from "../errors.ts";
import type { Session } from "../middleware/session.ts";
import type { ActionRepository, ActionRow, Owner } from "../repositories/action.ts";
import type { ArtworkRepository } from "../repositories/artworks.ts";
import type { SessionService } from "./session.ts";

export const ownerOf = (s: Session): Owner => ({ sessionId: s.id, userId: s.userId });

/** Kinds that `undo` without a target reverts (views and searches are history, not decisions). */
export const UNDOABLE: readonly ActionKind[] = ["like", "dislike", "skip"];
const NEEDS_ARTWORK: readonly ActionKind[] = ["like", "dislike", "skip", "view", "click"];

export type ActionView = ActionEntry;

export const actionView = (r: ActionRow): ActionView => ({
  id: r.id,
  kind: r.kind,
  artworkId: r.artworkId,
  query: r.query,
  targetActionId: r.targetActionId,
  undone: r.undoneAt !== null,
  createdAt: r.createdAt,
});

export class ActionService {
  constructor(
    private readonly actions: ActionRepository,
    private readonly artworks: ArtworkRepository,
    private readonly sessions: SessionService,
  ) {}

  async record(s: Session, input: { kind: Exclude<ActionKind, "undo">; artworkId?: number; query?: string }): Promise<ActionView> {
    if (NEEDS_ARTWORK.includes(input.kind)) {
      if (input.artworkId === undefined) throw badRequest("missing_artwork", `${input.kind} needs artworkId`);
      const work = await this.artworks.findById(input.artworkId);
      if (!work || work.status !== "active") throw notFound("artwork_not_found", `no artwork with id ${input.artworkId}`);
    }
    if (input.kind === "search" && !input.query?.trim()) throw badRequest("missing_query", "search needs a non-empty query");
    await this.sessions.ensure(s.id, s.userId);
    const row = await this.actions.insert(ownerOf(s), {
      kind: input.kind,
      artworkId: NEEDS_ARTWORK.includes(input.kind) ? input.artworkId : null,
      query: input.kind === "search" ? input.query!.trim() : null,
    });
    return actionView(row);
  }

  /** Undo one action (by id, or the newest like/dislike/skip); records an `undo` action pointing at it. */
  async undo(s: Session, actionId?: number): Promise<{ undone: ActionView; undo: ActionView }> {
    const o = ownerOf(s);
    const target = actionId === undefined ? await this.actions.lastUndoable(o, UNDOABLE) : await this.actions.findOwned(o, actionId);
    if (!target) throw notFound("nothing_to_undo", actionId === undefined ? "no action to undo" : `no action ${actionId}`);
    if (target.kind === "undo") throw badRequest("cannot_undo_undo", "an undo cannot be undone; act again instead");
    const at = new Date().toISOString();
    if (!(await this.actions.markUndone(target.id, at))) throw new HttpError(409, "already_undone", `action ${target.id} is already undone`);
    const undo = await this.actions.insert(o, { kind: "undo", artworkId: target.artworkId, targetActionId: target.id });
    return { undone: { ...actionView(target), undone: true }, undo: actionView(undo) };
  }

  /** History newest first; `next` is the id to continue before. */
  async history(s: Session, before: number | null, limit: number, kinds?: ActionKind[]): Promise<{ items: ActionView[]; next: string | null }> {
    const rows = await this.actions.page(ownerOf(s), before, limit + 1, kinds);
    const items = rows.slice(0, limit).map(actionView);
    return { items, next: rows.length > limit ? String(items[items.length - 1]!.id) : null };
  }

  /** Current likes and dislikes (latest decision per work, undone ones ignored) — for ranking. */
  async opinions(s: Session): Promise<{ liked: number[]; disliked: number[] }> {
    const ops = await this.actions.opinions(ownerOf(s));
    return { liked: ops.filter((o) => o.kind === "like").map((o) => o.artworkId), disliked: ops.filter((o) => o.kind === "dislike").map((o) => o.artworkId) };
  }

  /** Works shown to the session on a surface (feed, explore, search …); ranking penalises repeats. */
  async logExposures(s: Session, artworkIds: readonly number[], surface: string): Promise<void> {
    await this.actions.logExposures(s.id, [...new Set(artworkIds)], surface);
  }
}
