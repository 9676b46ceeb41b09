// A listing the crawler linked as a duplicate (`artworks.duplicate_of`) is another offer of its
// primary work: not a work of its own in feeds, search or the batch input, listed as an offer (with
// its own shop, sizes, price and /go link) on the primary's detail; its own id answers the primary.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import type { ArtworkDetailResponse } from "../../common/api-reads.ts";
import type { FeedResponse } from "../../common/api.ts";
import { openDatabase } from "../../common/db/client.ts";
import { artworks, shops } from "../../common/db/schema.ts";
import { createLogger } from "../../common/log.ts";
import { activeWorks } from "../../batch/features/store.ts";
import { seedFixture, type Seeded } from "../../test/fixtures/seed.ts";
import { localDeps } from "../adapter/local.ts";
import { createApp } from "../app.ts";
import { buildSnapshot } from "./artwork-snapshot.ts";

let seeded: Seeded;
let app: ReturnType<typeof createApp>["app"];
let close = () => {};
let primaryId = 0;
let dupId = 0;
let dupTitle = "";

before(async () => {
  seeded = await seedFixture({ count: 12 });
  const [a, b] = seeded.works.filter((w) => w.status === "active" && w.inArtifacts);
  primaryId = a!.id;
  dupId = b!.id;
  dupTitle = b!.title;
  const h = openDatabase(seeded.dbUrl);
  await h.db.insert(shops).values({ id: "second-shop", name: "Second Shop", baseUrl: "http://127.0.0.1:9/", currency: "EUR", affiliateTemplate: "{url}?aff=2" });
  await h.db.update(artworks).set({ shopId: "second-shop", duplicateOf: primaryId, affiliateUrl: "http://127.0.0.1:9/second/dup?aff=2" }).where(eq(artworks.id, dupId));
  h.close();
  const local = await localDeps("node", createLogger({}, "error"), { dataDir: seeded.dir, site: false, options: { requestLog: false } });
  close = local.close;
  app = createApp(local.deps).app;
});
after(() => {
  close();
  seeded.cleanup();
});

const get = async <T>(path: string) => {
  const res = await app.request(path);
  assert.equal(res.status, 200, `${path} → ${res.status}`);
  return (await res.json()) as T;
};

test("feeds and search never list a duplicate listing as a work", async () => {
  const feed = await get<FeedResponse>("/api/feed?limit=100");
  const ids = feed.items.map((i) => i.id);
  assert.ok(ids.includes(primaryId));
  assert.ok(!ids.includes(dupId));
  for (const path of ["/api/feed/explore?limit=48", "/api/feed/random?limit=100", "/api/feed/recommended?limit=100"]) {
    const items = (await get<{ items: Array<{ id: number }> }>(path)).items;
    assert.ok(items.length > 0, path);
    assert.ok(!items.some((i) => i.id === dupId), path);
  }
  const search = await get<{ items: Array<{ id: number }>; total: number }>(`/api/search?q=${encodeURIComponent(dupTitle)}&limit=50`);
  assert.ok(!search.items.some((i) => i.id === dupId), "the duplicate's own title does not surface it");
});

test("the primary's detail lists the duplicate's shop, sizes, price and buy link as an offer", async () => {
  const d = await get<ArtworkDetailResponse>(`/api/art/${primaryId}`);
  assert.equal(d.id, primaryId);
  assert.deepEqual(d.offers.map((o) => o.artworkId), [primaryId, dupId]);
  const offer = d.offers[1]!;
  assert.equal(offer.shop, "Second Shop");
  assert.equal(offer.buyUrl, `/go/${dupId}`);
  assert.ok(offer.sizes.length > 0 && offer.fromPriceCents !== null);
  const go = await app.request(offer.buyUrl);
  assert.equal(go.status, 302);
  assert.match(go.headers.get("location") ?? "", /^http:\/\/127\.0\.0\.1:9\/second\/dup\?aff=2/);
});

test("a duplicate's id answers with the primary work's detail", async () => {
  const d = await get<ArtworkDetailResponse>(`/api/art/${dupId}`);
  assert.equal(d.id, primaryId);
  assert.equal(d.offers.length, 2);
});

test("batch input: duplicates are not rows, unless their primary is gone", async () => {
  const h = openDatabase(seeded.dbUrl);
  try {
    assert.ok(!(await activeWorks(h.db)).some((w) => w.id === dupId));
    await h.db.update(artworks).set({ status: "removed" }).where(eq(artworks.id, primaryId));
    const ids = (await activeWorks(h.db)).map((w) => w.id);
    assert.ok(ids.includes(dupId) && !ids.includes(primaryId));
  } finally {
    await h.db.update(artworks).set({ status: "active" }).where(eq(artworks.id, primaryId));
    h.close();
  }
});

test("snapshot: a duplicate whose primary is not active becomes a work of its own", () => {
  const row = (id: number, duplicateOf: number | null) =>
    ({ id, shopId: "s", shopName: "S", title: `t${id}`, artist: null, tags: [], category: null, sizes: [], currency: null, minPriceCents: null, orientation: null, imageHash: null, imageWidth: 1, imageHeight: 1, imageVariants: {}, duplicateOf }) as Parameters<typeof buildSnapshot>[1][number];
  const s = buildSnapshot("v", [row(1, null), row(2, 1), row(3, 99)]);
  assert.deepEqual(s.ids, [1, 3]);
  assert.deepEqual(s.offers.get(1), [2]);
  assert.equal(s.works.get(3)!.row.duplicateOf, null);
});
