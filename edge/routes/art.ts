// Works: /api/art/:id (enriched detail), /api/art/:id/similar, /api/similar?ids= ("more like these").
import { Hono } from "hono";
import { z } from "zod";
import { badRequest } from "../errors.ts";
import { validParams, validQuery } from "../middleware/validate.ts";
import type { ReadServices } from "../services/artwork-reads.ts";
import { SHORT, modelEtag } from "./feed-session.ts";
import { cursor, IdParam, idList, limit } from "./schemas.ts";

// Built once: a zod schema compiles on first use, so building one per request is costly.
const SimilarQuery = z.object({ cursor, limit: limit(12, 50) });
const MoreLikeQuery = z.object({ ids: idList, not: idList.optional(), cursor, limit: limit(12, 50) });

export function artRoutes(r: ReadServices): Hono {
  const api = new Hono();

  api.get("/art/:id", async (c) => {
    const { id } = validParams(c, IdParam);
    await modelEtag(c, r.models);
    c.header("Cache-Control", SHORT);
    return c.json(await r.detail.detail(id));
  });

  api.get("/art/:id/similar", async (c) => {
    const { id } = validParams(c, IdParam);
    const q = validQuery(c, SimilarQuery);
    await modelEtag(c, r.models);
    c.header("Cache-Control", SHORT);
    return c.json(await r.similar.similarTo(id, q.cursor, q.limit));
  });

  api.get("/similar", async (c) => {
    if (c.req.query("ids") === undefined) throw badRequest("missing_ids", "ids is required, e.g. ?ids=1,2,3");
    const q = validQuery(c, MoreLikeQuery);
    await modelEtag(c, r.models);
    c.header("Cache-Control", SHORT);
    return c.json(await r.similar.moreLike(q.ids, q.not ?? [], q.cursor, q.limit));
  });

  return api;
}
