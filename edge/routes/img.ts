// GET /img/<key below images/> — images through the bucket interface.
import { Hono } from "hono";
import type { Services } from "../services/index.ts";

export function imgRoutes(s: Services): Hono {
  const img = new Hono();
  img.get("/*", (c) => {
    const path = c.req.path.replace(/^\/img\//, "");
    return s.images.serve(path, c.req.header("If-None-Match"), c.req.method);
  });
  return img;
}
