// One work = one row: a listing the crawler linked to an earlier work (`artworks.duplicate_of`) is
// another offer of that work, not a work of its own. It becomes a work again only when its primary
// is gone (removed), so an offer never vanishes with the listing it was attached to.
import { sql } from "drizzle-orm";
import { artworks } from "./schema.ts";

/** Drizzle condition for queries over `artworks` (unaliased): not a duplicate of an active work. */
export const notDuplicateOfActive = sql`(${artworks.duplicateOf} IS NULL OR NOT EXISTS (SELECT 1 FROM artworks AS primary_work WHERE primary_work.id = ${artworks.duplicateOf} AND primary_work.status = 'active'))`;

/** The same condition as raw SQL for hand-written queries that alias `artworks` as `alias`. */
export function notDuplicateOfActiveRaw(alias: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`bad SQL alias: ${alias}`);
  return `(${alias}.duplicate_of IS NULL OR NOT EXISTS (SELECT 1 FROM artworks AS primary_work WHERE primary_work.id = ${alias}.duplicate_of AND primary_work.status = 'active'))`;
}
