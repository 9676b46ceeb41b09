// Walls: CRUD, items (size, frame colour, position in cm), share / revoke; owner-only (404 otherwise).
import { createRoute } from "@hono/zod-openapi";
import { jsonBody, jsonOk, openApiRouter, writeErrors, z } from "../openapi.ts";
import type { Services } from "../services/index.ts";
import { FRAME_COLORS } from "../services/wall.ts";

const Cm = z.number().min(0).max(10_000);
const WallDims = { widthCm: z.number().min(10).max(10_000).optional(), heightCm: z.number().min(10).max(10_000).optional() };
const Name = z.string().trim().min(1).max(100);
const WallParam = z.object({ wallId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "not a wall id") });
const ItemParam = WallParam.extend({ itemId: z.string().regex(/^[1-9][0-9]{0,12}$/, "not an item id").transform(Number) });

const Item = z
  .object({
    id: z.number(),
    artworkId: z.number(),
    artwork: z.record(z.string(), z.unknown()).nullable(),
    size: z.record(z.string(), z.unknown()).nullable(),
    sizeLabel: z.string(),
    frameColor: z.string(),
    xCm: z.number(),
    yCm: z.number(),
    priceCents: z.number().nullable(),
    currency: z.string().nullable(),
  })
  .openapi("WallItem");
export const Wall = z
  .object({
    id: z.string(),
    name: z.string(),
    widthCm: z.number(),
    heightCm: z.number(),
    shareId: z.string().nullable(),
    items: z.array(Item),
    total: z.object({ byCurrency: z.record(z.string(), z.number()), unpriced: z.number() }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Wall");
const NewItem = z
  .object({ artworkId: z.number().int().min(1).max(2 ** 31 - 1), size: z.string().min(1).max(80), frameColor: z.enum(FRAME_COLORS).optional(), xCm: Cm.optional(), yCm: Cm.optional() })
  .strict()
  .openapi("NewWallItem");

export function wallRoutes(s: Services) {
  const r = openApiRouter();
  const ok = jsonOk(Wall);

  r.openapi(createRoute({ method: "get", path: "/walls", tags: ["walls"], summary: "The caller's walls", responses: { 200: jsonOk(z.object({ items: z.array(Wall) })) } }), async (c) => {
    c.header("Cache-Control", "private, no-cache");
    return c.json({ items: await s.walls.list(c.get("session")) }, 200);
  });

  r.openapi(
    createRoute({ method: "post", path: "/walls", tags: ["walls"], summary: "Create a wall", request: { body: jsonBody(z.object({ name: Name, ...WallDims }).strict()) }, responses: { 201: jsonOk(Wall, "Created"), ...writeErrors } }),
    async (c) => c.json(await s.walls.create(c.get("session"), c.req.valid("json")), 201),
  );

  r.openapi(createRoute({ method: "get", path: "/walls/{wallId}", tags: ["walls"], summary: "One of the caller's walls", request: { params: WallParam }, responses: { 200: ok, 404: writeErrors[404] } }), async (c) => {
    c.header("Cache-Control", "private, no-cache");
    return c.json(await s.walls.get(c.get("session"), c.req.valid("param").wallId), 200);
  });

  r.openapi(
    createRoute({
      method: "patch",
      path: "/walls/{wallId}",
      tags: ["walls"],
      summary: "Rename or resize a wall",
      request: { params: WallParam, body: jsonBody(z.object({ name: Name.optional(), ...WallDims }).strict()) },
      responses: { 200: ok, ...writeErrors },
    }),
    async (c) => c.json(await s.walls.update(c.get("session"), c.req.valid("param").wallId, c.req.valid("json")), 200),
  );

  r.openapi(
    createRoute({ method: "delete", path: "/walls/{wallId}", tags: ["walls"], summary: "Delete a wall", request: { params: WallParam }, responses: { 204: { description: "Deleted" }, ...writeErrors } }),
    async (c) => {
      await s.walls.delete(c.get("session"), c.req.valid("param").wallId);
      return c.body(null, 204);
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/walls/{wallId}/items",
      tags: ["walls"],
      summary: "Hang a work at a stored size and frame colour, at (xCm, yCm) from the top-left",
      request: { params: WallParam, body: jsonBody(NewItem) },
      responses: { 201: jsonOk(Wall, "Added"), 422: writeErrors[400], ...writeErrors },
    }),
    async (c) => c.json(await s.walls.addItem(c.get("session"), c.req.valid("param").wallId, c.req.valid("json")), 201),
  );

  r.openapi(
    createRoute({
      method: "patch",
      path: "/walls/{wallId}/items/{itemId}",
      tags: ["walls"],
      summary: "Move a work, or change its size or frame",
      request: { params: ItemParam, body: jsonBody(NewItem.omit({ artworkId: true }).partial().strict()) },
      responses: { 200: ok, 422: writeErrors[400], ...writeErrors },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(await s.walls.updateItem(c.get("session"), p.wallId, p.itemId, c.req.valid("json")), 200);
    },
  );

  r.openapi(
    createRoute({ method: "delete", path: "/walls/{wallId}/items/{itemId}", tags: ["walls"], summary: "Take a work off the wall", request: { params: ItemParam }, responses: { 200: ok, ...writeErrors } }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(await s.walls.removeItem(c.get("session"), p.wallId, p.itemId), 200);
    },
  );

  return r;
}
