// OpenAPI plumbing: every write-side route is declared with @hono/zod-openapi's createRoute, so its zod
// schemas both validate input (JSON 400 in the ApiError shape) and document it. `buildOpenApiDocument`
// adds every other route registered on the app (plain Hono routes) as a minimal entry, so nothing
// served is missing from /api/openapi.json even before it is converted.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Hono } from "hono";
import { badRequest } from "./errors.ts";

export { z };

/** A router whose zod failures become the API's JSON 400 (`invalid_body`, `invalid_query`, …). */
export function openApiRouter(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result, _c) => {
      if (result.success) return;
      const where = (result as { target?: string }).target ?? "input";
      const what = where === "json" ? "body" : where === "param" ? "path" : where;
      const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      throw badRequest(`invalid_${what}`, `invalid ${what}: ${issues.map((i) => `${i.path || what}: ${i.message}`).join("; ")}`, issues);
    },
  });
}

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi("ApiError");

const err = (description: string) => ({ description, content: { "application/json": { schema: ErrorSchema } } });
/** Error responses every write can give. */
export const writeErrors = {
  400: err("Invalid input (zod issues in error.details)"),
  403: err("CSRF check failed"),
  404: err("Not found, or not yours"),
  429: err("Rate limited (Retry-After header)"),
};

export const jsonBody = <S extends z.ZodType>(schema: S) => ({ required: true, content: { "application/json": { schema } } });
export const jsonOk = <S extends z.ZodType>(schema: S, description = "OK") => ({ description, content: { "application/json": { schema } } });

const HTTP_METHODS = new Set(["get", "post", "put", "patch", "delete"]);

/** The OpenAPI 3.1 document of `app`: declared routes in full, plain Hono routes as minimal entries. */
export function buildOpenApiDocument(app: OpenAPIHono, routesOf: Hono): Record<string, any> {
  const doc = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Art Snob API",
      version: "1",
      description:
        "Edge API of Art Snob. Cookie session `sid` (signed, HttpOnly, SameSite=Lax). Writes need a same-origin browser request " +
        "(Origin / Sec-Fetch-Site) or the `x-csrf-token` header from GET /api/session. Errors: `{error:{code,message,details?}}`.",
    },
  }) as Record<string, any>;
  doc.paths ??= {};
  for (const r of routesOf.routes) {
    const method = r.method.toLowerCase();
    if (!HTTP_METHODS.has(method) || r.path.includes("*")) continue;
    const path = r.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");
    doc.paths[path] ??= {};
    if (doc.paths[path][method]) continue;
    const params = [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    doc.paths[path][method] = { summary: `${method.toUpperCase()} ${path}`, ...(params.length ? { parameters: params } : {}), responses: { 200: { description: "OK" } } };
  }
  return doc;
}
