// /api/search?q=…&minPrice=&maxPrice=&orientation=&size=&colour=&tag=&shop= (hybrid; filters optional).
import { Hono } from "hono";
import { z } from "zod";
import { badRequest } from "../errors.ts";
import { validQuery } from "../middleware/validate.ts";
import type { ReadServices } from "../services/artwork-reads.ts";
import { SearchFilterQuery } from "../services/search-filters.ts";
import { SHORT, modelEtag } from "./feed-session.ts";
import { cursor, limit } from "./schemas.ts";

// Built once: a zod schema compiles on first use, so building one per request is costly.
const SearchQuery = z.object({ q: z.string().max(10_000), cursor, limit: limit(24, 100) });

export function searchRoutes(r: ReadServices): Hono {
  const api = new Hono();
  api.get("/search", async (c) => {
    if (c.req.query("q") === undefined) throw badRequest("missing_query", "q is required");
    const q = validQuery(c, SearchQuery);
    const filters = validQuery(c, SearchFilterQuery);
    await modelEtag(c, r.models);
    c.header("Cache-Control", SHORT);
    return c.json(await r.search.search(q.q, filters, q.cursor, q.limit));
  });
  return api;
}
