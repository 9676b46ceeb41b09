// Reads of single works and of the main feed.
import type { ArtworkDetail, FeedResponse } from "../../common/api.ts";
import { z } from "zod";
import { notFound } from "../errors.ts";
import type { ArtworkRepository } from "../repositories/artworks.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { toDetail, toSummary } from "./views.ts";

const FeedCursor = z.object({ b: z.number().int().positive() });

export class CatalogService {
  constructor(private readonly artworks: ArtworkRepository) {}

  async detail(id: number): Promise<ArtworkDetail> {
    const row = await this.artworks.findById(id);
    if (!row || row.status !== "active") throw notFound("artwork_not_found", `no artwork with id ${id}`);
    return toDetail(row);
  }

  /** Newest first; the cursor holds the last id shown, so pages never overlap or skip. */
  async feed(cursor: string | undefined, limit: number): Promise<FeedResponse> {
    const beforeId = cursor ? decodeCursor("feed", FeedCursor, cursor).b : null;
    const rows = await this.artworks.pageNewest(beforeId, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toSummary),
      next: rows.length > limit && last ? encodeCursor("feed", { b: last.id }) : null,
    };
  }
}
