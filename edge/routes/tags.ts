// /api/tags (scored list; ?prefix= &min=) and /api/tags/:tags (one tag, or several joined by , or |).
import { Hono } from "hono";
import { z } from "zod";
import { validParams, validQuery } from "../middleware/validate.ts";
import { normTag } from "../services/artwork-snapshot.ts";
import type { ReadServices } from "../services/artwork-reads.ts";
import { LONG, modelEtag } from "./feed-session.ts";
import { cursor, limit, PageQuery } from "./schemas.ts";

const TagsParam = z.object({
  tags: z
    .string()
    .max(300)
    .transform((s) => [...new Set(s.split(/[,|]/).map(normTag).filter((t) => t.length > 0))])
    .pipe(z.array(z.string().max(60)).min(1, "give at least one tag").max(5, "at most 5 tags")),
});

// Built once: a zod schema compiles on first use, so building one per request is costly.
const TagListQuery = z.object({ prefix: z.string().max(60).transform(normTag).optional(), min: z.string().regex(/^[0-9]{1,6}$/).transform(Number).optional(), cursor, limit: limit(100, 500) });

export function tagRoutes(r: ReadServices): Hono {
  const api = new Hono();
  api.get("/tags", async (c) => {
    const q = validQuery(c, TagListQuery);
    await modelEtag(c, r.models);
    c.header("Cache-Control", LONG);
    return c.json(await r.tags.list(q.prefix, q.min ?? 1, q.cursor, q.limit));
  });
  api.get("/tags/:tags", async (c) => {
    const { tags } = validParams(c, TagsParam);
    const q = validQuery(c, PageQuery);
    await modelEtag(c, r.models);
    c.header("Cache-Control", LONG);
    return c.json(await r.tags.works(tags, q.cursor, q.limit));
  });
  return api;
}
