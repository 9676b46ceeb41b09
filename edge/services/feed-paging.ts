// Shared helpers for list endpoints over the in-memory read model.
import type { ArtworkSummary } from "../../common/api.ts";
import type { ArtworkModel } from "./artwork-model.ts";

/** Summaries of the ids that are still in the catalogue, in order. */
export function summaries(model: ArtworkModel, ids: readonly number[]): ArtworkSummary[] {
  const out: ArtworkSummary[] = [];
  for (const id of ids) {
    const w = model.snapshot.works.get(id);
    if (w) out.push(w.summary);
  }
  return out;
}

/** Short stable hash (FNV-1a, base 36) tying a cursor to the list it was made for. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** 31-bit seed from any string (a session id) or a fresh one. */
export function seedOf(text: string | null): number {
  if (text === null) return Math.floor(Math.random() * 0x7fffffff);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) & 0x7fffffff;
}
