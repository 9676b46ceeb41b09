// Sharing a wall as a public read-only link (unguessable id), revoking it, and the public view.
import { createRoute } from "@hono/zod-openapi";
import { jsonOk, openApiRouter, writeErrors, z } from "../openapi.ts";
import type { Services } from "../services/index.ts";
import { Wall } from "./walls.ts";

const WallParam = z.object({ wallId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "not a wall id") });
const ShareParam = z.object({ shareId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "not a share id") });

export function shareRoutes(s: Services) {
  const r = openApiRouter();

  r.openapi(
    createRoute({
      method: "post",
      path: "/walls/{wallId}/share",
      tags: ["walls"],
      summary: "Share a wall read-only (idempotent while shared)",
      request: { params: WallParam },
      responses: { 200: jsonOk(z.object({ shareId: z.string(), path: z.string() }).openapi("Share")), ...writeErrors },
    }),
    async (c) => c.json(await s.walls.share(c.get("session"), c.req.valid("param").wallId), 200),
  );

  r.openapi(
    createRoute({ method: "delete", path: "/walls/{wallId}/share", tags: ["walls"], summary: "Revoke the public link", request: { params: WallParam }, responses: { 204: { description: "Revoked" }, ...writeErrors } }),
    async (c) => {
      await s.walls.revokeShare(c.get("session"), c.req.valid("param").wallId);
      return c.body(null, 204);
    },
  );

  r.openapi(
    createRoute({ method: "get", path: "/shared/{shareId}", tags: ["walls"], summary: "A shared wall (public, read-only)", request: { params: ShareParam }, responses: { 200: jsonOk(Wall), 404: writeErrors[404] } }),
    async (c) => {
      // Short shared caching: a revoked link stops answering within a minute.
      c.header("Cache-Control", "public, max-age=60");
      return c.json(await s.walls.shared(c.req.valid("param").shareId), 200);
    },
  );

  return r;
}
