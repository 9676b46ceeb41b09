// Walls: named canvases (cm) holding works at a chosen print size and frame colour, with a total price.
// Only the owner (signed-in user, or the anonymous session that made it) can see or change a wall; anyone
// else gets the same 404 as for a missing wall, so ids cannot be probed.
import type { Wall, WallItem } from "../../common/api-writes.ts";
import type { PrintSize } from "../../common/domain.ts";
import { HttpError, badRequest, notFound } from "../errors.ts";
import type { Session } from "../middleware/session.ts";
import type { ArtworkRepository } from "../repositories/artworks.ts";
import type { WallItemRow, WallRepository, WallRow } from "../repositories/wall.ts";
import { ownerOf } from "./action.ts";
import { randomId } from "./session-cookie.ts";
import type { SessionService } from "./session.ts";
import { toSummary } from "./views.ts";

export const FRAME_COLORS = ["none", "black", "white", "oak", "walnut", "gold", "silver"] as const;
export type FrameColor = (typeof FRAME_COLORS)[number];
export const MAX_WALLS = 100;
export const MAX_ITEMS = 100;

export type WallItemView = WallItem;
export type WallView = Wall;

export class WallService {
  constructor(
    private readonly walls: WallRepository,
    private readonly artworks: ArtworkRepository,
    private readonly sessions: SessionService,
  ) {}

  async list(s: Session): Promise<WallView[]> {
    const rows = await this.walls.listOwned(ownerOf(s));
    const items = await this.walls.items(rows.map((w) => w.id));
    return this.views(rows, items, true);
  }

  async get(s: Session, id: string): Promise<WallView> {
    return this.view(await this.owned(s, id), true);
  }

  async create(s: Session, input: { name: string; widthCm?: number; heightCm?: number }): Promise<WallView> {
    const o = ownerOf(s);
    if ((await this.walls.listOwned(o)).length >= MAX_WALLS) throw badRequest("too_many_walls", `at most ${MAX_WALLS} walls`);
    await this.sessions.ensure(s.id, s.userId);
    const row = await this.walls.create(o, { id: randomId(), name: input.name, widthCm: input.widthCm ?? 300, heightCm: input.heightCm ?? 250 });
    return this.view(row, true);
  }

  async update(s: Session, id: string, set: { name?: string; widthCm?: number; heightCm?: number }): Promise<WallView> {
    const row = await this.walls.update(ownerOf(s), id, set);
    if (!row) throw wallNotFound(id);
    return this.view(row, true);
  }

  async delete(s: Session, id: string): Promise<void> {
    if (!(await this.walls.delete(ownerOf(s), id))) throw wallNotFound(id);
  }

  async addItem(s: Session, wallId: string, input: { artworkId: number; size: string; frameColor?: FrameColor; xCm?: number; yCm?: number }): Promise<WallView> {
    const wall = await this.owned(s, wallId);
    if ((await this.walls.countItems(wall.id)) >= MAX_ITEMS) throw badRequest("wall_full", `at most ${MAX_ITEMS} works per wall`);
    const size = await this.sizeOf(input.artworkId, input.size);
    await this.walls.addItem({ wallId: wall.id, artworkId: input.artworkId, sizeLabel: size.label, frameColor: input.frameColor ?? "black", xCm: input.xCm ?? 0, yCm: input.yCm ?? 0 });
    await this.walls.touch(wall.id);
    return this.view(wall, true);
  }

  async updateItem(s: Session, wallId: string, itemId: number, input: { size?: string; frameColor?: FrameColor; xCm?: number; yCm?: number }): Promise<WallView> {
    const wall = await this.owned(s, wallId);
    const item = (await this.walls.items([wall.id])).find((i) => i.id === itemId);
    if (!item) throw notFound("item_not_found", `wall ${wallId} has no item ${itemId}`);
    const sizeLabel = input.size === undefined ? undefined : (await this.sizeOf(item.artworkId, input.size)).label;
    await this.walls.updateItem(wall.id, itemId, { sizeLabel, frameColor: input.frameColor, xCm: input.xCm, yCm: input.yCm });
    await this.walls.touch(wall.id);
    return this.view(wall, true);
  }

  async removeItem(s: Session, wallId: string, itemId: number): Promise<WallView> {
    const wall = await this.owned(s, wallId);
    if (!(await this.walls.removeItem(wall.id, itemId))) throw notFound("item_not_found", `wall ${wallId} has no item ${itemId}`);
    await this.walls.touch(wall.id);
    return this.view(wall, true);
  }

  /** Share: a new unguessable id (128 random bits) — sharing again after a revoke never revives the old link. */
  async share(s: Session, wallId: string): Promise<{ shareId: string; path: string }> {
    const wall = await this.owned(s, wallId);
    const shareId = wall.shareId ?? randomId();
    if (!wall.shareId) await this.walls.update(ownerOf(s), wall.id, { shareId });
    return { shareId, path: `/api/shared/${shareId}` };
  }

  async revokeShare(s: Session, wallId: string): Promise<void> {
    const wall = await this.owned(s, wallId);
    await this.walls.update(ownerOf(s), wall.id, { shareId: null });
  }

  /** The public, read-only view of a shared wall (no owner or share details). */
  async shared(shareId: string): Promise<WallView> {
    const wall = await this.walls.findByShareId(shareId);
    if (!wall) throw notFound("share_not_found", "no wall is shared under this link");
    return this.view(wall, false);
  }

  async owned(s: Session, id: string): Promise<WallRow> {
    const wall = await this.walls.findOwned(ownerOf(s), id);
    if (!wall) throw wallNotFound(id);
    return wall;
  }

  private async sizeOf(artworkId: number, label: string): Promise<PrintSize> {
    const work = await this.artworks.findById(artworkId);
    if (!work || work.status !== "active") throw notFound("artwork_not_found", `no artwork with id ${artworkId}`);
    const size = (work.sizes ?? []).find((z) => z.label === label || (z.key !== undefined && z.key === label));
    if (!size) throw new HttpError(422, "unknown_size", `artwork ${artworkId} has no size ${JSON.stringify(label.slice(0, 80))}`, { sizes: (work.sizes ?? []).map((z) => z.label) });
    return size;
  }

  private async view(wall: WallRow, owner: boolean): Promise<WallView> {
    return (await this.views([wall], await this.walls.items([wall.id]), owner))[0]!;
  }

  private async views(walls: WallRow[], items: WallItemRow[], owner: boolean): Promise<WallView[]> {
    const works = new Map((await this.artworks.findActiveByIds([...new Set(items.map((i) => i.artworkId))])).map((w) => [w.id, w]));
    return walls.map((w) => {
      const mine = items.filter((i) => i.wallId === w.id);
      const total = { byCurrency: {} as Record<string, number>, unpriced: 0 };
      const itemViews = mine.map((i): WallItemView => {
        const work = works.get(i.artworkId);
        const size = work?.sizes?.find((z) => z.label === i.sizeLabel) ?? null;
        if (size?.priceCents != null) total.byCurrency[size.currency] = (total.byCurrency[size.currency] ?? 0) + size.priceCents;
        else total.unpriced++;
        return {
          id: i.id,
          artworkId: i.artworkId,
          artwork: work ? toSummary(work) : null,
          size,
          sizeLabel: i.sizeLabel,
          frameColor: i.frameColor,
          xCm: i.xCm,
          yCm: i.yCm,
          priceCents: size?.priceCents ?? null,
          currency: size?.currency ?? null,
        };
      });
      return { id: w.id, name: w.name, widthCm: w.widthCm, heightCm: w.heightCm, shareId: owner ? w.shareId : null, items: itemViews, total, createdAt: w.createdAt, updatedAt: w.updatedAt };
    });
  }
}

const wallNotFound = (id: string) => notFound("wall_not_found", `no wall ${JSON.stringify(id.slice(0, 40))}`);
