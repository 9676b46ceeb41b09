import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, startHarness, type Harness } from "../test/harness.ts";
import { MemoryRateLimitStore } from "./rate-limit.ts";

test("token bucket: burst up to capacity, then refill over time; LRU cap on keys", async () => {
  const store = new MemoryRateLimitStore(3);
  const t0 = 1_000_000;
  for (let i = 0; i < 5; i++) assert.equal((await store.take("k", 5, 1, t0)).ok, true);
  const empty = await store.take("k", 5, 1, t0);
  assert.deepEqual([empty.ok, empty.retryAfterS], [false, 1]);
  assert.equal((await store.take("k", 5, 1, t0 + 1000)).ok, true, "one token back after a second");
  assert.equal((await store.take("k", 5, 1, t0 + 1000)).ok, false);
  for (const k of ["a", "b", "c"]) await store.take(k, 1, 1, t0);
  assert.equal((await store.take("k", 5, 1, t0 + 1000)).ok, true, "evicted key starts full again");
});

let h: Harness;
before(async () => (h = await startHarness()));
after(() => h?.close());

test("search and writes are limited per client; private reads revalidate with ETag", async () => {
  const ip = { "cf-connecting-ip": "203.0.113.7" };
  let searchLimited = 0;
  for (let i = 0; i < 70; i++) if ((await h.edge.fetch(new Request("http://localhost/api/search?q=fox", { headers: ip }))).status === 429) searchLimited++;
  assert.ok(searchLimited > 0, "search rate limited");
  const other = await h.edge.fetch(new Request("http://localhost/api/search?q=fox", { headers: { "cf-connecting-ip": "203.0.113.8" } }));
  assert.equal(other.status, 200, "another client is not affected");

  const c = new Client(h.edge.fetch);
  c.csrf = (await c.get("/api/session")).body.csrfToken;
  const work = h.seeded.works.find((w) => w.status === "active")!.id;
  let writeLimited = null as null | { status: number; headers: Headers; body: any };
  for (let i = 0; i < 200 && !writeLimited; i++) {
    const r = await c.post("/api/actions", { kind: "view", artworkId: work }, { "cf-connecting-ip": "198.51.100.1" });
    if (r.status === 429) writeLimited = r;
  }
  assert.ok(writeLimited, "writes rate limited");
  assert.equal(writeLimited.body.error.code, "rate_limited");
  assert.ok(Number(writeLimited.headers.get("retry-after")) >= 1);

  const walls = await c.get("/api/walls");
  assert.match(walls.headers.get("cache-control") ?? "", /private/);
  const tag = walls.headers.get("etag");
  assert.ok(tag);
  assert.equal((await c.get("/api/walls", { "if-none-match": tag })).status, 304);
});
