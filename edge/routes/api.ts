// Thin JSON routes: validate input, call a service, return its result.
import { Hono } from "hono";
import { z } from "zod";
import { badRequest } from "../errors.ts";
import { validParams, validQuery } from "../middleware/validate.ts";
import type { Services } from "../services/index.ts";
import { cursor, IdParam, idList, limit } from "./schemas.ts";

const NO_STORE = "no-store";
const SHORT = "public, max-age=60";

export function apiRoutes(s: Services): Hono {
  const api = new Hono();

  api.get("/health", async (c) => {
    c.header("Cache-Control", NO_STORE);
    return c.json(await s.health.check());
  });

  api.get("/feed", async (c) => {
    const q = validQuery(c, z.object({ cursor, limit: limit(24, 100) }));
    c.header("Cache-Control", SHORT);
    return c.json(await s.catalog.feed(q.cursor, q.limit));
  });

  api.get("/search", async (c) => {
    if (c.req.query("q") === undefined) throw badRequest("missing_query", "q is required");
    const q = validQuery(c, z.object({ q: z.string().max(10_000), cursor, limit: limit(24, 100) }));
    c.header("Cache-Control", SHORT);
    return c.json(await s.search.search(q.q, q.cursor, q.limit));
  });

  api.get("/art/:id", async (c) => {
    const { id } = validParams(c, IdParam);
    c.header("Cache-Control", SHORT);
    return c.json(await s.catalog.detail(id));
  });

  api.get("/art/:id/similar", async (c) => {
    const { id } = validParams(c, IdParam);
    const q = validQuery(c, z.object({ cursor, limit: limit(12, 50) }));
    c.header("Cache-Control", SHORT);
    return c.json(await s.similar.similarTo(id, q.cursor, q.limit));
  });

  api.get("/similar", async (c) => {
    if (c.req.query("ids") === undefined) throw badRequest("missing_ids", "ids is required, e.g. ?ids=1,2,3");
    const q = validQuery(c, z.object({ ids: idList, not: idList.optional(), cursor, limit: limit(12, 50) }));
    c.header("Cache-Control", SHORT);
    return c.json(await s.similar.moreLike(q.ids, q.not ?? [], q.cursor, q.limit));
  });

  return api;
}
