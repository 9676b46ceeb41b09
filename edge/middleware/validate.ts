// zod validation of path and query input; failures become 400 JSON with the zod issues.
import type { Context } from "hono";
import type { z } from "zod";
import { badRequest } from "../errors.ts";

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = "query"): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    throw badRequest(`invalid_${what}`, `invalid ${what}: ${issues.map((i) => `${i.path || what}: ${i.message}`).join("; ")}`, issues);
  }
  return r.data;
}

export const validQuery = <S extends z.ZodType>(c: Context, schema: S): z.infer<S> => parseInput(schema, c.req.query(), "query");
export const validParams = <S extends z.ZodType>(c: Context, schema: S): z.infer<S> => parseInput(schema, c.req.param(), "path");
