// /api/map?bbox=x0,y0,x1,y1&limit=&cursor= : 2-d coordinates of every work, paged, optionally one tile.
import { Hono } from "hono";
import { z } from "zod";
import { validQuery } from "../middleware/validate.ts";
import type { ReadServices } from "../services/artwork-reads.ts";
import { LONG, modelEtag } from "./feed-session.ts";
import { cursor, limit } from "./schemas.ts";

const num = "(?:0|1|0?\\.[0-9]{1,6}|1\\.0{1,6})";
const Bbox = z
  .string()
  .regex(new RegExp(`^${num},${num},${num},${num}$`), "must be x0,y0,x1,y1 with numbers in [0, 1]")
  .transform((s) => s.split(",").map(Number) as [number, number, number, number])
  .refine(([x0, y0, x1, y1]) => x0 <= x1 && y0 <= y1, "x0 ≤ x1 and y0 ≤ y1");

// Built once: a zod schema compiles on first use, so building one per request is costly.
const MapQuery = z.object({ bbox: Bbox.optional(), cursor, limit: limit(1000, 5000) });

export function mapRoutes(r: ReadServices): Hono {
  const api = new Hono();
  api.get("/map", async (c) => {
    const q = validQuery(c, MapQuery);
    await modelEtag(c, r.models);
    c.header("Cache-Control", LONG);
    return c.json(await r.map.page(q.bbox, q.cursor, q.limit));
  });
  return api;
}
