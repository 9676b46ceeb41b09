// Lexical search: FTS5 BM25 over title, artist, tags, description and category.
import { z } from "zod";
import type { SearchResponse } from "../../common/api.ts";
import { badRequest } from "../errors.ts";
import type { ArtworkRepository } from "../repositories/artworks.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { buildFtsQuery } from "./fts-query.ts";
import { toSummary } from "./views.ts";

/** Deep offsets in FTS5 re-rank everything before them; nobody pages this far by hand. */
export const MAX_SEARCH_OFFSET = 1000;
const SearchCursor = z.object({ o: z.number().int().positive().max(MAX_SEARCH_OFFSET), h: z.string().max(16) });

/** Short stable hash of the query, so a cursor cannot be replayed against another query. */
function queryHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

export class SearchService {
  constructor(private readonly artworks: ArtworkRepository) {}

  async search(q: string, cursor: string | undefined, limit: number): Promise<SearchResponse> {
    const query = buildFtsQuery(q);
    if (!query.match) return { query: query.text, total: 0, items: [], next: null };
    let offset = 0;
    if (cursor) {
      const c = decodeCursor("search", SearchCursor, cursor);
      if (c.h !== queryHash(query.match)) throw badRequest("invalid_cursor", "cursor belongs to another query");
      offset = c.o;
    }
    const [ids, total] = await Promise.all([this.artworks.searchIds(query.match, offset, limit), this.artworks.countMatches(query.match)]);
    const rows = await this.artworks.findActiveByIds(ids);
    const end = offset + ids.length;
    const next = ids.length === limit && end < total && end <= MAX_SEARCH_OFFSET ? encodeCursor("search", { o: end, h: queryHash(query.match) }) : null;
    return { query: query.text, total, items: rows.map(toSummary), next };
  }
}
