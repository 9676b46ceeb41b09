// JSON shapes of the edge's session, account and write endpoints (issue 6), shared by the edge (producer)
// and the site (consumer). Routes: docs/api.md; schemas: GET /api/openapi.json.
import type { ActionKind, ArtworkSummary, PrintSize } from "./domain.ts";

export interface UserInfo {
  id: string;
  email: string;
}

/** GET /api/session */
export interface SessionResponse {
  sessionId: string;
  user: UserInfo | null;
  /** Send as `x-csrf-token` (or form field `_csrf`) on writes that lack a same-origin Origin/Sec-Fetch-Site. */
  csrfToken: string;
}

/** POST /api/account/signup (201), POST /api/account/signin (200). The session id rotates: use the new token. */
export interface AuthResponse {
  user: UserInfo;
  csrfToken: string;
}

/** One entry of the history; POST /api/actions answers with one (201). */
export interface ActionEntry {
  id: number;
  kind: ActionKind;
  artworkId: number | null;
  query: string | null;
  /** For `undo`: the action it reverted. */
  targetActionId: number | null;
  undone: boolean;
  createdAt: string;
}

/** POST /api/actions body. */
export interface NewActionRequest {
  kind: Exclude<ActionKind, "undo">;
  artworkId?: number;
  query?: string;
}

/** POST /api/actions/undo `{ actionId? }` */
export interface UndoResponse {
  undone: ActionEntry;
  undo: ActionEntry;
}

/** GET /api/history?cursor=&limit=&kind= */
export interface HistoryResponse {
  items: ActionEntry[];
  next: string | null;
}

/** GET /api/likes: latest decision per work, undone ones dropped, newest first. */
export interface LikesResponse {
  liked: number[];
  disliked: number[];
}

export interface WallItem {
  id: number;
  artworkId: number;
  /** Null when the work was removed from the catalogue since. */
  artwork: ArtworkSummary | null;
  size: PrintSize | null;
  sizeLabel: string;
  frameColor: string;
  xCm: number;
  yCm: number;
  priceCents: number | null;
  currency: string | null;
}

/** GET/POST/PATCH /api/walls[/:id][/items[/:itemId]], GET /api/shared/:shareId */
export interface Wall {
  id: string;
  name: string;
  widthCm: number;
  heightCm: number;
  /** The public link id while shared (owner views only; null on shared views). */
  shareId: string | null;
  items: WallItem[];
  /** Sum of the chosen sizes' prices per currency; items without a listed price are counted in `unpriced`. */
  total: { byCurrency: Record<string, number>; unpriced: number };
  createdAt: string;
  updatedAt: string;
}

/** GET /api/walls */
export interface WallsResponse {
  items: Wall[];
}

/** POST /api/walls/:id/share */
export interface ShareResponse {
  shareId: string;
  /** API path of the public read-only view. */
  path: string;
}
