// /go/:id click-outs: the click is recorded with the session, and the 302 goes to the work's stored
// affiliate URL only — never to anything taken from the request (open-redirect attempts).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { affiliateClicks, artworks } from "../../common/db/schema.ts";
import { Client, startHarness, type Harness } from "../test/harness.ts";

let h: Harness;
before(async () => (h = await startHarness()));

const storedUrl = async (id: number) => (await h.handle.db.select({ u: artworks.affiliateUrl }).from(artworks).where(eq(artworks.id, id)))[0]!.u!;
after(() => h?.close());

const HOSTILE_SIZES = [
  "https://evil.example/",
  "//evil.example",
  "/\\evil.example",
  "%2F%2Fevil.example",
  "javascript:alert(1)",
  "Small\r\nLocation: https://evil.example",
  "Small%0d%0aLocation:%20https://evil.example",
  "Small@evil.example",
  "s#@evil.example",
  "..%2F..%2F",
];

test("302 to the stored URL with the stored size; the click is logged with the session", async () => {
  const c = new Client(h.edge.fetch);
  const work = h.seeded.works.find((w) => w.status === "active")!;
  const r = await c.get(`/go/${work.id}?size=Small`);
  assert.equal(r.status, 302);
  const loc = r.headers.get("location")!;
  const stored = new URL((await storedUrl(work.id)).replace("{size}", ""));
  assert.equal(new URL(loc).origin, stored.origin);
  assert.equal(new URL(loc).pathname, stored.pathname);
  assert.match(loc, /[?&]size=s$/);
  const sid = (await c.get("/api/session")).body.sessionId;
  const rows = await h.handle.db.select().from(affiliateClicks);
  assert.ok(rows.some((row) => row.artworkId === work.id && row.sessionId === sid && row.targetUrl === loc && row.sizeLabel === "Small"));
});

test("open-redirect attempts never leave the stored origin", async () => {
  const c = new Client(h.edge.fetch);
  const work = h.seeded.works.find((w) => w.status === "active")!;
  const origin = new URL((await storedUrl(work.id)).replace("{size}", "")).origin;
  const paths = [
    ...HOSTILE_SIZES.map((s) => `/go/${work.id}?size=${encodeURIComponent(s)}`),
    ...HOSTILE_SIZES.map((s) => `/go/${work.id}?size=${s}`),
    `/go/${work.id}?url=https://evil.example/`,
    `/go/${work.id}?next=https://evil.example/&redirect=//evil.example&to=https://evil.example`,
    `/go/${work.id}?size=Small&size=https://evil.example/`,
    `/go/https://evil.example/`,
    `/go//evil.example`,
    `/go/${encodeURIComponent("https://evil.example")}`,
    `/go/${work.id}/..%2F..%2Fevil.example`,
  ];
  for (const p of paths) {
    const r = await c.get(p, { referer: "https://evil.example/", host: "evil.example" });
    assert.ok(r.status < 500, `${p} → ${r.status}`);
    const loc = r.headers.get("location");
    if (r.status >= 300 && r.status < 400) {
      assert.ok(loc, p);
      assert.equal(new URL(loc, "http://localhost").origin, origin, `${p} redirected to ${loc}`);
    } else {
      assert.equal(loc, null, p);
      assert.ok(r.status >= 400 && r.status < 500, `${p} → ${r.status}`);
    }
  }
});

test("removed and unknown works are 404 and record nothing", async () => {
  const c = new Client(h.edge.fetch);
  const before = (await h.handle.db.select().from(affiliateClicks)).length;
  assert.equal((await c.get(`/go/${h.seeded.removedId}`)).status, 404);
  assert.equal((await c.get(`/go/999999`)).status, 404);
  assert.equal((await h.handle.db.select().from(affiliateClicks)).length, before);
});
