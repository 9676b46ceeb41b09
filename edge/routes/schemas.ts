// zod schemas for path and query input shared by the routes.
import { z } from "zod";

/** Artwork ids are positive integers; anything else (letters, signs, 10+ digits) is a 400. */
export const IdParam = z.object({
  id: z.string().regex(/^[1-9][0-9]{0,9}$/, "must be a positive integer").transform(Number).pipe(z.number().int().max(2 ** 31 - 1)),
});

export const limit = (fallback: number, max: number) =>
  z.string().regex(/^[0-9]{1,4}$/, "must be an integer").transform(Number).pipe(z.number().int().min(1).max(max)).optional().default(fallback);

export const cursor = z.string().max(512).optional();

/** "1,2,3": 1 to 50 distinct positive ids. */
export const idList = z
  .string()
  .max(600)
  .regex(/^[1-9][0-9]{0,9}(,[1-9][0-9]{0,9})*$/, "must be comma-separated positive integers")
  .transform((s) => [...new Set(s.split(",").map(Number))])
  .pipe(z.array(z.number().int().max(2 ** 31 - 1)).min(1).max(50));

/** The plain paged list: ?cursor=&limit= (24 by default, at most 100). */
export const PageQuery = z.object({ cursor, limit: limit(24, 100) });
