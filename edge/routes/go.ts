// GET /go/:id?size= — affiliate click-out: records the click (with the session) and answers 302 to the
// work's STORED affiliate URL only (edge/services/click-out.ts); nothing from the request becomes the target.
import { createRoute } from "@hono/zod-openapi";
import { openApiRouter, writeErrors, z } from "../openapi.ts";
import type { Services } from "../services/index.ts";

const Params = z.object({
  id: z.string().regex(/^[1-9][0-9]{0,9}$/, "must be a positive integer").transform(Number).pipe(z.number().int().max(2 ** 31 - 1)),
});
const Query = z.object({ size: z.string().min(1).max(80).optional().openapi({ description: "A stored size label or key of the work" }) });

export function goRoutes(s: Services) {
  const go = openApiRouter();
  go.openapi(
    createRoute({
      method: "get",
      path: "/{id}",
      tags: ["click-out"],
      summary: "Record an affiliate click and redirect to the work's stored shop URL",
      request: { params: Params, query: Query },
      responses: { 302: { description: "Redirect to the stored affiliate URL (Location)" }, 400: writeErrors[400], 404: writeErrors[404] },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const target = await s.clickOut.clickOut(id, c.req.valid("query").size, c.get("session")?.id ?? null);
      c.header("Cache-Control", "no-store");
      c.header("Referrer-Policy", "no-referrer-when-downgrade");
      return c.redirect(target, 302);
    },
  );
  return go;
}
