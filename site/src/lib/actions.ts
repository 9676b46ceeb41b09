// Writes shared by several pages, as plain functions the routes' routeAction$ call (so each page's
// <Form> posts to itself and works without JavaScript).
import type { RequestEventAction } from "@builder.io/qwik-city";
import { apiSend, isMissingEndpoint } from "./api.ts";
import { ENDPOINTS } from "./contract.ts";

export interface ActionOutcome {
  ok: boolean;
  message: string;
}

const DONE = {
  like: "Liked. Your feed will show more like this.",
  dislike: "Noted. You will see less like this.",
  skip: "Skipped.",
} as const;

/** like / dislike / skip works (POST /api/actions, one per work), recorded in the visitor's history. */
export async function recordAction(ev: RequestEventAction, kind: keyof typeof DONE, artworkIds: number[]): Promise<ActionOutcome> {
  for (const artworkId of artworkIds) {
    const r = await apiSend<unknown>(ev, "POST", ENDPOINTS.actions, { kind, artworkId });
    if (!r.ok) return { ok: false, message: isMissingEndpoint(r) ? "Saving likes is not available on this server yet." : r.message };
  }
  return { ok: true, message: DONE[kind] };
}

/** Undo one action of the visitor's history (POST /api/actions/undo). */
export async function undoAction(ev: RequestEventAction, actionId: number): Promise<ActionOutcome> {
  const r = await apiSend<unknown>(ev, "POST", ENDPOINTS.undo, { actionId });
  return r.ok ? { ok: true, message: "Undone. Your recommendations no longer count it." } : { ok: false, message: r.message };
}
