import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CookieSigner } from "../services/session-cookie.ts";
import { Client, startHarness, type Harness } from "../test/harness.ts";

let h: Harness;
before(async () => (h = await startHarness()));
after(() => h?.close());

test("first visit gets a signed HttpOnly SameSite=Lax session cookie; it is kept on later requests", async () => {
  const res = await h.edge.fetch(new Request("http://localhost/api/health"));
  const set = res.headers.get("set-cookie") ?? "";
  assert.match(set, /^sid=[A-Za-z0-9_-]{22}\.\.[A-Za-z0-9_-]{43};/);
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Lax/);
  assert.doesNotMatch(set, /Secure/, "plain http (dev) cookie is not Secure");
  const again = await h.edge.fetch(new Request("http://localhost/api/health", { headers: { cookie: set.split(";")[0]! } }));
  assert.equal(again.headers.get("set-cookie"), null);
  const https = await h.edge.fetch(new Request("https://localhost/api/health"));
  assert.match(https.headers.get("set-cookie") ?? "", /Secure/);
});

test("a forged or tampered cookie is replaced by a fresh anonymous session", async () => {
  const other = new CookieSigner("another-secret-0123456789");
  for (const value of [await other.sign("AAAAAAAAAAAAAAAAAAAAAA", null), "garbage", "a.b.c", "AAAAAAAAAAAAAAAAAAAAAA..x"]) {
    const res = await h.edge.fetch(new Request("http://localhost/api/health", { headers: { cookie: `sid=${value}` } }));
    const set = res.headers.get("set-cookie") ?? "";
    assert.match(set, /^sid=/, value);
    assert.ok(!set.startsWith(`sid=${value.split(".")[0]}.`), "new id");
  }
});

test("a signed cookie naming a user that the DB does not confirm is not trusted", async () => {
  const signer = new CookieSigner("test-secret-0123456789abcdef");
  const value = await signer.sign("BBBBBBBBBBBBBBBBBBBBBB", "CCCCCCCCCCCCCCCCCCCCCC");
  const c = new Client(h.edge.fetch);
  c.cookie = `sid=${value}`;
  const r = await c.get("/api/health");
  assert.match(r.headers.get("set-cookie") ?? "", /^sid=[A-Za-z0-9_-]{22}\.\./);
});

test("no cookie on images and static files", async () => {
  const res = await h.edge.fetch(new Request("http://localhost/img/zz/bad/w100.webp"));
  assert.equal(res.headers.get("set-cookie"), null);
});

test("public cacheable reads do not set a cookie (they stay CDN-cacheable); private reads and writes do", async () => {
  const id = h.seeded.works.find((w) => w.status === "active")!.id;
  const pub = await h.edge.fetch(new Request(`http://localhost/api/art/${id}`));
  assert.match(pub.headers.get("cache-control") ?? "", /public/);
  assert.equal(pub.headers.get("set-cookie"), null);
  const priv = await h.edge.fetch(new Request("http://localhost/api/history"));
  assert.match(priv.headers.get("set-cookie") ?? "", /^sid=/);
});

test("a page that already forwards a session cookie from an in-process API call is not given a second one", async () => {
  const { Hono } = await import("hono");
  const { sessionMiddleware } = await import("./session.ts");
  const signer = new CookieSigner("test-secret-0123456789abcdef");
  const app = new Hono();
  app.use("*", sessionMiddleware(signer, { userOf: async () => null }));
  app.get("/page", (c) => {
    c.header("Set-Cookie", "sid=inner.value; Path=/", { append: true });
    return c.html("<p>hi</p>");
  });
  app.get("/plain", (c) => c.html("<p>hi</p>"));
  const page = await app.request("/page");
  assert.deepEqual(page.headers.getSetCookie(), ["sid=inner.value; Path=/"]);
  assert.equal((await app.request("/plain")).headers.getSetCookie().length, 1);
});
