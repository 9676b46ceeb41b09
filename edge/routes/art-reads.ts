// Mounts every read route of issue 6 under /api (registered before the skeleton's routes).
import { Hono } from "hono";
import type { ReadServices } from "../services/artwork-reads.ts";
import { artRoutes } from "./art.ts";
import { clusterRoutes } from "./clusters.ts";
import { feedRoutes } from "./feed.ts";
import { mapRoutes } from "./map.ts";
import { searchRoutes } from "./search.ts";
import { tagRoutes } from "./tags.ts";
import { uploadRoutes } from "./upload.ts";

export function readRoutes(r: ReadServices): Hono {
  const api = new Hono();
  for (const routes of [feedRoutes, artRoutes, searchRoutes, tagRoutes, clusterRoutes, mapRoutes, uploadRoutes]) api.route("/", routes(r));
  return api;
}
