// /api/clusters, /api/clusters/:id, /api/vibes, /api/vibes/:id
import { Hono } from "hono";
import { z } from "zod";
import { validParams, validQuery } from "../middleware/validate.ts";
import type { ReadServices } from "../services/artwork-reads.ts";
import { LONG, modelEtag } from "./feed-session.ts";
import { cursor, limit, PageQuery } from "./schemas.ts";

const ClusterParam = z.object({ id: z.string().regex(/^[0-9]{1,6}$/, "must be a cluster id (integer)").transform(Number) });
const VibeParam = z.object({ id: z.string().min(1).max(80).regex(/^[\p{L}\p{N} _-]+$/u, "must be a vibe id or name") });

// Built once: a zod schema compiles on first use, so building one per request is costly.
const ClusterListQuery = z.object({ cursor, limit: limit(24, 200) });

export function clusterRoutes(r: ReadServices): Hono {
  const api = new Hono();
  api.get("/clusters", async (c) => {
    const q = validQuery(c, ClusterListQuery);
    await modelEtag(c, r.models);
    c.header("Cache-Control", LONG);
    return c.json(await r.clusters.list(q.cursor, q.limit));
  });
  api.get("/clusters/:id", async (c) => {
    const { id } = validParams(c, ClusterParam);
    const q = validQuery(c, PageQuery);
    await modelEtag(c, r.models);
    c.header("Cache-Control", LONG);
    return c.json(await r.clusters.cluster(id, q.cursor, q.limit));
  });
  api.get("/vibes", async (c) => {
    await modelEtag(c, r.models);
    c.header("Cache-Control", LONG);
    return c.json(await r.clusters.vibes());
  });
  api.get("/vibes/:id", async (c) => {
    const { id } = validParams(c, VibeParam);
    const q = validQuery(c, PageQuery);
    await modelEtag(c, r.models);
    c.header("Cache-Control", LONG);
    return c.json(await r.clusters.vibe(id, q.cursor, q.limit));
  });
  return api;
}
