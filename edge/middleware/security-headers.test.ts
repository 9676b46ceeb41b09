import assert from "node:assert/strict";
import { test } from "node:test";
import { Hono } from "hono";
import { apiCsp, securityHeaders, SITE_CSP, siteCsp } from "./security-headers.ts";

test("API responses: HSTS, nosniff, deny-all CSP with frame-ancestors, referrer policy; site HTML: frame-ancestors CSP", async () => {
  const app = new Hono();
  app.use("*", securityHeaders());
  app.use("/api/*", apiCsp());
  app.use("*", siteCsp());
  app.get("/api/x", (c) => c.json({}));
  app.get("/page", (c) => c.html("<p>hi</p>"));
  app.get("/file.js", (c) => c.body("1", 200, { "Content-Type": "text/javascript" }));
  const api = await app.request("/api/x");
  assert.match(api.headers.get("strict-transport-security") ?? "", /max-age=\d+/);
  assert.equal(api.headers.get("x-content-type-options"), "nosniff");
  assert.equal(api.headers.get("content-security-policy"), "default-src 'none'; frame-ancestors 'none'");
  assert.equal(api.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
  assert.equal(api.headers.get("x-frame-options"), "DENY");
  assert.equal((await app.request("/page")).headers.get("content-security-policy"), SITE_CSP);
  assert.equal((await app.request("/file.js")).headers.get("content-security-policy"), null);
});
