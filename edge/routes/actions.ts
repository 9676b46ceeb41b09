// Actions (like, dislike, skip, view, click, search), undo, history, and exposure logging.
import { createRoute } from "@hono/zod-openapi";
import { ACTION_KINDS } from "../../common/domain.ts";
import { jsonBody, jsonOk, openApiRouter, writeErrors, z } from "../openapi.ts";
import type { Services } from "../services/index.ts";

const ArtworkId = z.number().int().min(1).max(2 ** 31 - 1);
const Action = z
  .object({
    id: z.number().int(),
    kind: z.enum(ACTION_KINDS),
    artworkId: z.number().int().nullable(),
    query: z.string().nullable(),
    targetActionId: z.number().int().nullable(),
    undone: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("Action");
const NewAction = z
  .object({
    kind: z.enum(["like", "dislike", "skip", "view", "click", "search"]),
    artworkId: ArtworkId.optional(),
    query: z.string().max(200).optional(),
  })
  .strict()
  .openapi("NewAction");
const Undo = z.object({ actionId: z.number().int().min(1).max(2 ** 53).optional() }).strict().openapi("UndoRequest");
const HistoryQuery = z.object({
  cursor: z.string().regex(/^[1-9][0-9]{0,15}$/, "must be a cursor from a previous page").optional(),
  limit: z.string().regex(/^[0-9]{1,3}$/, "must be an integer").transform(Number).pipe(z.number().int().min(1).max(100)).optional(),
  kind: z.enum(ACTION_KINDS).optional(),
});
const Exposures = z
  .object({ artworkIds: z.array(ArtworkId).min(1).max(200), surface: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "lowercase word, e.g. feed") })
  .strict()
  .openapi("Exposures");

export function actionRoutes(s: Services) {
  const r = openApiRouter();

  r.openapi(
    createRoute({ method: "post", path: "/actions", tags: ["actions"], summary: "Record an action on a work (or a search)", request: { body: jsonBody(NewAction) }, responses: { 201: jsonOk(Action, "Recorded"), ...writeErrors } }),
    async (c) => c.json(await s.actions.record(c.get("session"), c.req.valid("json")), 201),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/actions/undo",
      tags: ["actions"],
      summary: "Undo an action by id, or the newest like/dislike/skip",
      request: { body: jsonBody(Undo) },
      responses: { 200: jsonOk(z.object({ undone: Action, undo: Action })), 409: writeErrors[404], ...writeErrors },
    }),
    async (c) => c.json(await s.actions.undo(c.get("session"), c.req.valid("json").actionId), 200),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/history",
      tags: ["actions"],
      summary: "The caller's actions, newest first (cursor-paged)",
      request: { query: HistoryQuery },
      responses: { 200: jsonOk(z.object({ items: z.array(Action), next: z.string().nullable() })), 400: writeErrors[400] },
    }),
    async (c) => {
      const q = c.req.valid("query");
      c.header("Cache-Control", "private, no-cache");
      return c.json(await s.actions.history(c.get("session"), q.cursor ? Number(q.cursor) : null, q.limit ?? 50, q.kind ? [q.kind] : undefined), 200);
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/likes",
      tags: ["actions"],
      summary: "Current likes and dislikes (latest decision per work, undone ones dropped)",
      responses: { 200: jsonOk(z.object({ liked: z.array(z.number()), disliked: z.array(z.number()) })) },
    }),
    async (c) => {
      c.header("Cache-Control", "private, no-cache");
      return c.json(await s.actions.opinions(c.get("session")), 200);
    },
  );

  r.openapi(
    createRoute({ method: "post", path: "/exposures", tags: ["actions"], summary: "Log works shown to the session (ranking penalises repeats)", request: { body: jsonBody(Exposures) }, responses: { 204: { description: "Logged" }, ...writeErrors } }),
    async (c) => {
      const { artworkIds, surface } = c.req.valid("json");
      await s.actions.logExposures(c.get("session"), artworkIds, surface);
      return c.body(null, 204);
    },
  );

  return r;
}
