// Endpoints the storefront calls beyond the walking skeleton's, and readers for their answers.
// Read shapes come from common/api-reads.ts (issue 6, landed). The write side (sessions, actions,
// walls, sharing, accounts) is being built right now; until its shapes land in common/, the site
// reads those answers through the small tolerant readers below: a missing endpoint is a clear
// "not ready" state, an unexpected field is ignored, never a crash.
import type { FeedReason } from "../../../common/api-reads.ts";
import type { ArtworkSummary, Page, PrintSize } from "../../../common/domain.ts";

export const ENDPOINTS = {
  recommended: "/api/feed/recommended",
  random: "/api/feed/random",
  explore: "/api/feed/explore",
  vibes: "/api/vibes",
  tags: "/api/tags",
  map: "/api/map",
  actions: "/api/actions",
  undo: "/api/actions/undo",
  history: "/api/history",
  likes: "/api/likes",
  session: "/api/session",
  signUp: "/api/account/signup",
  signIn: "/api/account/signin",
  signOut: "/api/account/signout",
  exportData: "/api/account/export",
  account: "/api/account",
  walls: "/api/walls",
  shared: "/api/shared",
} as const;

export type Reasoned = ArtworkSummary & { reason?: string | null };

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v && typeof v === "object" ? (v as Loose) : {});
const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function isSummary(v: unknown): v is ArtworkSummary {
  const o = obj(v);
  return typeof o.id === "number" && typeof o.title === "string" && typeof o.image === "object" && o.image !== null;
}

/** Any list page `{ items, next }` of works; a feed item's `why.text` becomes its reason. */
export function readArtPage(v: unknown): Page<Reasoned> {
  const o = obj(v);
  const items = Array.isArray(o.items) ? o.items : [];
  return {
    items: items.filter(isSummary).map((a) => {
      const why = (a as { why?: FeedReason }).why;
      return { ...a, reason: why && why.kind !== "curated" ? str(why.text) : null };
    }),
    next: str(o.next),
  };
}

export interface HistoryEntry {
  id: number;
  kind: string;
  at: string | null;
  artworkId: number | null;
  query: string | null;
  undone: boolean;
}
/** GET /api/history: `{ items: Action[], next }`. */
export function readHistory(v: unknown): { items: HistoryEntry[]; next: string | null } {
  const o = obj(v);
  const list = Array.isArray(o.items) ? o.items : [];
  return {
    items: list.flatMap((x: unknown) => {
      const e = obj(x);
      const id = num(e.id);
      if (id === null) return [];
      return [{ id, kind: str(e.kind) ?? "action", at: str(e.createdAt), artworkId: num(e.artworkId), query: str(e.query), undone: e.undone === true }];
    }),
    next: str(o.next),
  };
}

/** GET /api/likes: `{ liked: number[], disliked: number[] }`. */
export function readLikes(v: unknown): { liked: number[]; disliked: number[] } {
  const o = obj(v);
  const ids = (x: unknown) => (Array.isArray(x) ? x.filter((n): n is number => typeof n === "number") : []);
  return { liked: ids(o.liked), disliked: ids(o.disliked) };
}

/** GET /api/session: `{ sessionId, user: { id, email } | null, csrfToken }`. */
export function readSession(v: unknown): { user: { email: string } | null } {
  const email = str(obj(obj(v).user).email);
  return { user: email ? { email } : null };
}

export interface WallItem {
  id: string;
  art: ArtworkSummary | null;
  artId: number;
  size: string | null;
  frame: string;
  x: number;
  y: number;
  widthCm: number;
  heightCm: number;
  priceCents: number | null;
  currency: string | null;
}
export interface Wall {
  id: string;
  name: string;
  items: WallItem[];
  totals: Array<{ cents: number; currency: string }>;
  unpriced: number;
  shareId: string | null;
  widthCm: number;
  heightCm: number;
}

/** A print without dimensions is drawn at a common 30 × 40 cm so it still shows on the wall. */
const FALLBACK_CM = { w: 30, h: 40 };

/** One wall (`GET /api/walls/:id`, `GET /api/shared/:shareId`). */
export function readWall(v: unknown): Wall | null {
  const o = obj(v);
  if (o.id === undefined) return null;
  const items = (Array.isArray(o.items) ? o.items : []).map((x: unknown): WallItem => {
    const i = obj(x);
    const art = isSummary(i.artwork) ? i.artwork : null;
    const size = obj(i.size) as Partial<PrintSize>;
    return {
      id: String(i.id ?? ""),
      art,
      artId: num(i.artworkId) ?? art?.id ?? 0,
      size: str(i.sizeLabel) ?? str(size.label),
      frame: str(i.frameColor) ?? "black",
      x: num(i.xCm) ?? 0,
      y: num(i.yCm) ?? 0,
      widthCm: num(size.widthCm) ?? FALLBACK_CM.w,
      heightCm: num(size.heightCm) ?? FALLBACK_CM.h,
      priceCents: num(i.priceCents),
      currency: str(i.currency),
    };
  });
  const total = obj(o.total);
  const byCurrency = obj(total.byCurrency);
  return {
    id: String(o.id),
    name: str(o.name) ?? "My wall",
    items,
    totals: Object.entries(byCurrency).flatMap(([currency, cents]) => (typeof cents === "number" ? [{ cents, currency }] : [])),
    unpriced: num(total.unpriced) ?? 0,
    shareId: str(o.shareId),
    widthCm: num(o.widthCm) ?? 300,
    heightCm: num(o.heightCm) ?? 250,
  };
}
export function readWalls(v: unknown): Wall[] {
  const list = obj(v).items;
  return (Array.isArray(list) ? list : []).map(readWall).filter((w): w is Wall => w !== null);
}
