// GET /go/:id?size= — affiliate click-out (302 to the stored URL only).
import { Hono } from "hono";
import { z } from "zod";
import { validParams, validQuery } from "../middleware/validate.ts";
import type { Services } from "../services/index.ts";
import { IdParam } from "./schemas.ts";

export function goRoutes(s: Services): Hono {
  const go = new Hono();
  go.get("/:id", async (c) => {
    const { id } = validParams(c, IdParam);
    const q = validQuery(c, z.object({ size: z.string().min(1).max(80).optional() }));
    const target = await s.clickOut.clickOut(id, q.size, c.get("session")?.id ?? null);
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer-when-downgrade");
    return c.redirect(target, 302);
  });
  return go;
}
