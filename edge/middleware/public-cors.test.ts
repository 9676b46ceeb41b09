import assert from "node:assert/strict";
import { test } from "node:test";
import { Hono } from "hono";
import { publicCors } from "./public-cors.ts";

const app = new Hono();
app.use("*", publicCors({ allowMethods: ["GET", "HEAD", "OPTIONS"], maxAge: 600 }));
app.get("/x", (c) => {
  c.header("Cache-Control", "public, max-age=60");
  return c.json({ ok: true });
});

test("simple reads: any origin, no credentials, the route's own headers kept", async () => {
  const res = await app.request("/x", { headers: { Origin: "https://elsewhere.example" } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  assert.equal(res.headers.get("access-control-allow-credentials"), null);
  assert.equal(res.headers.get("cache-control"), "public, max-age=60");
  assert.deepEqual(await res.json(), { ok: true });
});

test("preflight: 204 with the allowed methods, asked-for headers and max-age", async () => {
  const res = await app.request("/x", { method: "OPTIONS", headers: { Origin: "https://a.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-a, x-b" } });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get("access-control-allow-methods"), "GET,HEAD,OPTIONS");
  assert.equal(res.headers.get("access-control-allow-headers"), "x-a,x-b");
  assert.equal(res.headers.get("access-control-max-age"), "600");
  assert.equal(res.headers.get("access-control-allow-credentials"), null);
  assert.equal(await res.text(), "");
});
