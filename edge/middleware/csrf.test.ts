import assert from "node:assert/strict";
import { test } from "node:test";
import { Hono } from "hono";
import { CookieSigner, SESSION_COOKIE } from "../services/session-cookie.ts";
import { createLogger } from "../../common/log.ts";
import { csrf, csrfToken } from "./csrf.ts";
import { errorHandler } from "./error-handler.ts";
import { readCapped } from "./read-capped.ts";

const signer = new CookieSigner("x".repeat(32));
const SESSION = "csrftestsession000000001";
const app = new Hono();
app.onError(errorHandler(createLogger({}, "error")));
app.use("*", async (c, next) => (c.set("session", { id: SESSION, userId: null }), next()));
app.use("*", csrf(signer));
// The route reads the body itself after the check, capped like the upload route.
app.post("/upload", async (c) => c.json({ bytes: (await readCapped(c.req.raw, 8 * 2 ** 20)).byteLength }));

const cookie = `${SESSION_COOKIE}=whatever`;
const form = (fields: Record<string, string | Blob>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

test("a small form's _csrf field passes, and the route still reads the whole body", async () => {
  const token = await csrfToken(signer, SESSION);
  const res = await app.request("/upload", { method: "POST", headers: { cookie }, body: form({ _csrf: token, image: new Blob([new Uint8Array(1000)]) }) });
  assert.equal(res.status, 200);
  assert.ok(((await res.json()) as { bytes: number }).bytes > 1000);
});

test("a form over 64 KiB is not parsed for a token: without the header it is refused, with it it passes", async () => {
  const token = await csrfToken(signer, SESSION);
  const big = () => form({ _csrf: token, image: new Blob([new Uint8Array(2 * 2 ** 20)]) });
  assert.equal((await app.request("/upload", { method: "POST", headers: { cookie }, body: big() })).status, 403);
  const ok = await app.request("/upload", { method: "POST", headers: { cookie, "x-csrf-token": token }, body: big() });
  assert.equal(ok.status, 200);
  assert.ok(((await ok.json()) as { bytes: number }).bytes > 2 * 2 ** 20);
});

test("a wrong token, or a malformed form, is a 403", async () => {
  assert.equal((await app.request("/upload", { method: "POST", headers: { cookie }, body: form({ _csrf: "x".repeat(43) }) })).status, 403);
  const garbled = await app.request("/upload", { method: "POST", headers: { cookie, "content-type": "multipart/form-data; boundary=zz" }, body: "--zz\r\nnot a part" });
  assert.equal(garbled.status, 403);
});
