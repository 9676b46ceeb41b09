// Thin JSON routes: validate input, call a service, return its result. The read routes of issue 6
// (detail, similar, search, feeds, tags, …) live in routes/art-reads.ts.
import { Hono } from "hono";
import { validQuery } from "../middleware/validate.ts";
import type { Services } from "../services/index.ts";
import { PageQuery } from "./schemas.ts";

const NO_STORE = "no-store";
const SHORT = "public, max-age=60";

export function apiRoutes(s: Services): Hono {
  const api = new Hono();

  api.get("/health", async (c) => {
    c.header("Cache-Control", NO_STORE);
    return c.json(await s.health.check());
  });

  api.get("/feed", async (c) => {
    const q = validQuery(c, PageQuery);
    c.header("Cache-Control", SHORT);
    return c.json(await s.catalog.feed(q.cursor, q.limit));
  });

  return api;
}
