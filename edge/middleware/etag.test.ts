import assert from "node:assert/strict";
import { test } from "node:test";
import { Hono } from "hono";
import { etag } from "./etag.ts";

const app = new Hono();
app.use("*", etag());
app.get("/versioned", (c) => {
  c.header("ETag", 'W/"v1"');
  c.header("Cache-Control", "public, max-age=60");
  c.header("X-Other", "1");
  return c.json({ a: 1 });
});
app.get("/hashed", (c) => c.json({ b: 2 }, 200, { "Cache-Control": "public, max-age=60" }));
app.get("/private", (c) => c.json({ c: 3 }, 200, { "Cache-Control": "private, no-store" }));
app.get("/missing", (c) => c.json({ error: 1 }, 404));
app.post("/write", (c) => c.json({ ok: true }));

test("a route's own ETag is kept and answers 304 with only the retained headers", async () => {
  const first = await app.request("/versioned");
  assert.equal(first.headers.get("etag"), 'W/"v1"');
  for (const inm of ['W/"v1"', '"v1"', '"x", W/"v1"', "*"]) {
    const again = await app.request("/versioned", { headers: { "If-None-Match": inm } });
    assert.equal(again.status, 304, inm);
    assert.equal(again.headers.get("etag"), 'W/"v1"');
    assert.equal(again.headers.get("cache-control"), "public, max-age=60");
    assert.equal(again.headers.get("x-other"), null);
    assert.equal(await again.text(), "");
  }
  assert.equal((await app.request("/versioned", { headers: { "If-None-Match": '"v2"' } })).status, 200);
});

test("without one, the body's SHA-1 is the tag", async () => {
  const res = await app.request("/hashed");
  const tag = res.headers.get("etag");
  assert.match(tag ?? "", /^"[0-9a-f]{40}"$/);
  assert.deepEqual(await res.json(), { b: 2 });
  assert.equal((await app.request("/hashed", { headers: { "If-None-Match": tag! } })).status, 304);
});

test("no-store answers, errors and writes get no ETag", async () => {
  assert.equal((await app.request("/private")).headers.get("etag"), null);
  assert.equal((await app.request("/missing")).headers.get("etag"), null);
  assert.equal((await app.request("/write", { method: "POST" })).headers.get("etag"), null);
});
