// Feeds: /api/feed/recommended, /api/feed/explore (taste finder), /api/feed/random.
import { Hono } from "hono";
import { z } from "zod";
import { validQuery } from "../middleware/validate.ts";
import type { ReadServices } from "../services/artwork-reads.ts";
import { LONG, modelEtag, PRIVATE, returningSession, SHORT } from "./feed-session.ts";
import { cursor, idList, limit } from "./schemas.ts";

const seed = z.string().regex(/^[0-9]{1,10}$/, "must be a non-negative integer").transform(Number).pipe(z.number().int().max(0x7fffffff));
const clusterList = z
  .string()
  .max(2000)
  .regex(/^([0-9]{1,6})(,[0-9]{1,6})*$/, "must be comma-separated cluster ids")
  .transform((s) => [...new Set(s.split(",").map(Number))]);
const perArtist = z.string().regex(/^[0-9]{1,2}$/).transform(Number).pipe(z.number().int().min(1).max(24));

// Built once: a zod schema compiles on first use, so building one per request is costly.
const RecommendedQuery = z.object({ likes: idList.optional(), dislikes: idList.optional(), perArtist: perArtist.optional(), cursor, limit: limit(24, 100) });
const ExploreQuery = z.object({ seen: clusterList.optional(), seed: seed.optional(), cursor, limit: limit(6, 48) });
const RandomQuery = z.object({ seed: seed.optional(), cursor, limit: limit(24, 100) });

export function feedRoutes(r: ReadServices): Hono {
  const api = new Hono();

  api.get("/feed/recommended", async (c) => {
    const q = validQuery(c, RecommendedQuery);
    const session = returningSession(c);
    if (session) c.header("Cache-Control", PRIVATE);
    else {
      // No session: the answer is a pure function of the URL (explicit likes, or the curated mix), so it
      // is cacheable and no cookie is minted; Vary keeps a browser from reusing it once it has a session.
      c.header("Cache-Control", SHORT);
      c.header("Vary", "Cookie");
      await modelEtag(c, r.models);
    }
    return c.json(
      await r.recommend.recommended({ session, likes: q.likes ?? [], dislikes: q.dislikes ?? [], perArtist: q.perArtist, cursor: q.cursor, limit: q.limit, record: false }),
    );
  });

  api.get("/feed/explore", async (c) => {
    const q = validQuery(c, ExploreQuery);
    c.header("Cache-Control", PRIVATE);
    return c.json(await r.explore.next(returningSession(c), q.seen ?? [], q.seed, q.cursor, q.limit));
  });

  api.get("/feed/random", async (c) => {
    const q = validQuery(c, RandomQuery);
    // Seeded pages are deterministic and cacheable; an unseeded first page is a fresh draw.
    c.header("Cache-Control", q.seed !== undefined || q.cursor ? LONG : PRIVATE);
    if (q.seed !== undefined || q.cursor) await modelEtag(c, r.models);
    return c.json(await r.random.page(q.seed, q.cursor, q.limit));
  });

  return api;
}
