// Recommended feed and taste finder for a returning session: its likes, dislikes and searches (rows in
// `actions`) shape the feed, served pages are logged as exposures, paging is frozen against new actions.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ExploreResponse, RecommendedResponse } from "../../common/api-reads.ts";
import { openDatabase } from "../../common/db/client.ts";
import { actions, exposures } from "../../common/db/schema.ts";
import { createLogger } from "../../common/log.ts";
import { seedFixture, type Seeded } from "../../test/fixtures/seed.ts";
import { localDeps } from "../adapter/local.ts";
import { createApp } from "../app.ts";
import { CookieSigner, SESSION_COOKIE } from "./session-cookie.ts";

let seeded: Seeded;
let app: ReturnType<typeof createApp>["app"];
let close = () => {};
let cookie = "";
const SESSION = "recommendtestsession0001";
let db: ReturnType<typeof openDatabase>;

before(async () => {
  seeded = await seedFixture();
  const local = await localDeps("node", createLogger({}, "error"), { dataDir: seeded.dir, site: false, options: { requestLog: false } });
  close = local.close;
  app = createApp(local.deps).app;
  cookie = `${SESSION_COOKIE}=${await new CookieSigner(local.deps.sessionSecret!).sign(SESSION, null)}`;
  db = openDatabase(seeded.dbUrl);
});
after(() => {
  db.close();
  close();
  seeded.cleanup();
});

const get = async <T>(path: string) => {
  const r = await app.request(path, { headers: { cookie } });
  assert.equal(r.status, 200, await r.clone().text());
  if (path.startsWith("/api/feed/recommended")) assert.equal(r.headers.get("cache-control"), "private, no-store", "a session's feed is private");
  return (await r.json()) as T;
};
const active = () => seeded.works.filter((w) => w.status === "active" && w.inArtifacts);

test("a returning session's likes and searches shape its feed; pages are stable; exposures push shown works down", async () => {
  const cold = await get<RecommendedResponse>("/api/feed/recommended?limit=6");
  assert.equal(cold.mode, "curated");
  const flowers = active().filter((w) => w.category === "flowers");
  for (const w of flowers.slice(0, 3)) await db.db.insert(actions).values({ sessionId: SESSION, kind: "like", artworkId: w.id });
  await db.db.insert(actions).values({ sessionId: SESSION, kind: "search", query: "heron" });

  const p1 = await get<RecommendedResponse>("/api/feed/recommended?limit=6");
  assert.equal(p1.mode, "personal");
  const byId = new Map(seeded.works.map((w) => [w.id, w]));
  assert.ok(p1.items.filter((i) => byId.get(i.id)!.category === "flowers").length >= 3, JSON.stringify(p1.items.map((i) => byId.get(i.id)!.category)));
  const whys = [...new Set(p1.items.map((i) => i.why.kind))];
  assert.ok(whys.includes("liked"));
  const all = await get<RecommendedResponse>("/api/feed/recommended?limit=50");
  assert.ok(all.items.some((i) => i.why.kind === "search" && i.why.text === "because you searched “heron”"), "a recent search brings its results");

  // A new like between pages does not reshuffle the paging context.
  await db.db.insert(actions).values({ sessionId: SESSION, kind: "like", artworkId: active().find((w) => w.category === "animals")!.id });
  const p2 = await get<RecommendedResponse>(`/api/feed/recommended?limit=6&cursor=${encodeURIComponent(p1.next!)}`);
  const again = await get<RecommendedResponse>(`/api/feed/recommended?limit=6&cursor=${encodeURIComponent(p1.next!)}`);
  assert.deepEqual(p2.items.map((i) => i.id), again.items.map((i) => i.id));
  assert.ok(p2.items.every((i) => !p1.items.some((j) => j.id === i.id)), "no repeats across pages");

  // The client logs what it showed (POST /api/exposures → the exposures table); shown works sink.
  for (const i of p1.items) await db.db.insert(exposures).values({ sessionId: SESSION, artworkId: i.id, surface: "recommended", count: 3, lastAt: "2000-01-01T00:00:00.000Z" });
  const fresh = await get<RecommendedResponse>("/api/feed/recommended?limit=6");
  assert.notDeepEqual(fresh.items.map((i) => i.id), p1.items.map((i) => i.id));
});

test("explore skips clusters the session already judged", async () => {
  const e = await get<ExploreResponse>("/api/feed/explore?limit=2");
  assert.ok(e.cluster && e.cluster.label !== "Flowers" && e.cluster.label !== "Animals", e.cluster?.label);
  assert.equal(e.remaining, 1);
});
