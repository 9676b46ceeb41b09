// Sessions, CSRF, accounts (sign-up, sign-in merge, sign-out), export and delete, rate limits.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, startHarness, type Harness } from "../test/harness.ts";

let h: Harness;
let workId: number;
before(async () => {
  h = await startHarness();
  workId = h.seeded.works.find((w) => w.status === "active")!.id;
});
after(() => h?.close());

async function client(): Promise<Client> {
  const c = new Client(h.edge.fetch);
  c.csrf = (await c.get("/api/session")).body.csrfToken;
  return c;
}

test("CSRF: cross-site writes are refused; same-origin browsers, Origin and the token pass", async () => {
  const c = new Client(h.edge.fetch);
  const s = await c.get("/api/session");
  assert.equal(s.status, 200);
  assert.equal(s.body.user, null);
  const like = { kind: "like", artworkId: workId };
  assert.equal((await c.post("/api/actions", like)).status, 403, "no signal at all");
  assert.equal((await c.post("/api/actions", like, { origin: "https://evil.example" })).status, 403);
  assert.equal((await c.post("/api/actions", like, { "sec-fetch-site": "cross-site", origin: "http://localhost" })).status, 403);
  assert.equal((await c.post("/api/actions", like, { "sec-fetch-site": "same-site" })).status, 403);
  assert.equal((await c.post("/api/actions", like, { "x-csrf-token": "x".repeat(43) })).status, 403);
  assert.equal((await c.post("/api/actions", like, { "sec-fetch-site": "same-origin" })).status, 201);
  assert.equal((await c.post("/api/actions", like, { origin: "http://localhost" })).status, 201);
  assert.equal((await c.post("/api/actions", like, { "x-csrf-token": s.body.csrfToken })).status, 201);
  // A no-JS form post carrying the token as a field (form bodies are then refused by the JSON route: 400, not 403).
  const form = await c.call("POST", "/api/actions", `_csrf=${s.body.csrfToken}&kind=like`, { "content-type": "application/x-www-form-urlencoded" });
  assert.notEqual(form.status, 403);
  assert.ok(form.status >= 400 && form.status < 500);
  // Reads need nothing.
  assert.equal((await c.get("/api/history")).body.items.length, 3);
});

test("sign-up merges the anonymous likes, walls and history; sign-out starts fresh; sign-in merges again", async () => {
  const c = await client();
  assert.equal((await c.post("/api/actions", { kind: "like", artworkId: workId })).status, 201);
  assert.equal((await c.post("/api/actions", { kind: "search", query: "fox" })).status, 201);
  const wall = await c.post("/api/walls", { name: "Hall" });
  assert.equal(wall.status, 201);
  const anonId = (await c.get("/api/session")).body.sessionId;

  const up = await c.post("/api/account/signup", { email: " Ann@Example.org ", password: "correct horse battery" });
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal(up.body.user.email, "ann@example.org");
  c.csrf = up.body.csrfToken;
  const me = await c.get("/api/session");
  assert.equal(me.body.user.email, "ann@example.org");
  assert.notEqual(me.body.sessionId, anonId, "session id rotates on sign-in");
  assert.deepEqual((await c.get("/api/likes")).body.liked, [workId]);
  assert.equal((await c.get("/api/history")).body.items.length, 2);
  assert.equal((await c.get("/api/walls")).body.items[0].id, wall.body.id);

  const dup = await c.post("/api/account/signup", { email: "ann@example.org", password: "another password" });
  assert.equal(dup.status, 409);

  const signedInCookie = c.cookie;
  assert.equal((await c.post("/api/account/signout")).status, 200);
  const after = await c.get("/api/session");
  assert.equal(after.body.user, null);
  assert.equal((await c.get("/api/walls")).body.items.length, 0, "signed out: the account's walls are not visible");
  // The old signed-in cookie is revoked server-side.
  const stale = new Client(h.edge.fetch);
  stale.cookie = signedInCookie;
  assert.equal((await stale.get("/api/session")).body.user, null);

  // A new anonymous like, then sign-in: merged into the same account.
  c.csrf = after.body.csrfToken;
  const other = h.seeded.works.filter((w) => w.status === "active")[1]!.id;
  assert.equal((await c.post("/api/actions", { kind: "like", artworkId: other })).status, 201);
  const wrong = await c.post("/api/account/signin", { email: "ann@example.org", password: "wrong password" });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error.code, "invalid_credentials");
  const unknown = await c.post("/api/account/signin", { email: "nobody@example.org", password: "whatever1" });
  assert.equal(unknown.status, 401, "unknown email answers exactly like a wrong password");
  assert.equal(unknown.body.error.code, "invalid_credentials");
  const inn = await c.post("/api/account/signin", { email: "ANN@example.org", password: "correct horse battery" });
  assert.equal(inn.status, 200);
  c.csrf = inn.body.csrfToken;
  assert.deepEqual(new Set((await c.get("/api/likes")).body.liked), new Set([workId, other]));

  // Export, then delete everything.
  const exp = await c.get("/api/account/export");
  assert.equal(exp.status, 200);
  assert.equal(exp.body.user.email, "ann@example.org");
  assert.equal(exp.body.actions.length, 3);
  assert.equal(exp.body.walls.length, 1);
  assert.equal(JSON.stringify(exp.body).includes("password"), false, "no password hash in the export");
  assert.equal((await c.del("/api/account")).status, 200);
  assert.equal((await c.get("/api/session")).body.user, null);
  const gone = await c.post("/api/account/signin", { email: "ann@example.org", password: "correct horse battery" }, { origin: "http://localhost" });
  assert.equal(gone.status, 401, "the account is gone");
});

test("input validation: JSON 400 with zod issues for bad bodies", async () => {
  const c = await client();
  for (const body of ["{bad json", "[]", "null", { email: "not-an-email", password: "longenough" }, { email: "a@b.co", password: "short" }, { email: "a@b.co" }]) {
    const r = await c.post("/api/account/signup", body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(typeof r.body.error.code, "string");
  }
  const r = await c.post("/api/actions", { kind: "like", artworkId: workId, extra: 1 });
  assert.equal(r.status, 400, "unknown fields are refused");
  assert.equal((await c.post("/api/actions", { kind: "like" })).status, 400);
  assert.equal((await c.post("/api/actions", { kind: "like", artworkId: 999999 })).status, 404);
  assert.equal((await c.post("/api/actions", { kind: "search", query: "   " })).status, 400);
});

test("sign-in is rate limited per email (429 with Retry-After)", async () => {
  const c = await client();
  let limited = null as null | { status: number; headers: Headers };
  for (let i = 0; i < 8 && !limited; i++) {
    const r = await c.post("/api/account/signin", { email: "victim@example.org", password: "" + "x".repeat(8) + i });
    if (r.status === 429) limited = r;
    else assert.equal(r.status, 401);
  }
  assert.ok(limited, "limited within 8 attempts");
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
});

test("metrics (Prometheus text), OpenAPI document and reference page", async () => {
  const c = new Client(h.edge.fetch);
  await c.get("/api/health");
  const m = await c.get("/api/metrics");
  assert.equal(m.status, 200);
  assert.match(m.headers.get("content-type") ?? "", /text\/plain/);
  assert.match(m.body, /^artsnob_http_requests_total\{method="GET",route="\/api\/health",status="200"\} \d+$/m);
  assert.match(m.body, /artsnob_http_request_duration_ms_bucket\{method="GET",route="\/api\/health",le="\+Inf"\} \d+/);
  const doc = await c.get("/api/openapi.json");
  assert.equal(doc.body.openapi, "3.1.0");
  for (const p of ["/api/account/signin", "/api/walls/{wallId}/items", "/api/actions/undo", "/api/shared/{shareId}", "/api/health", "/go/{id}"]) assert.ok(doc.body.paths[p], p);
  assert.ok(doc.body.paths["/api/account/signin"].post.requestBody, "declared routes carry their zod schemas");
  const page = await c.get("/api/docs");
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  assert.match(page.body, /POST \/api\/walls\/\{wallId\}\/items/);
  assert.doesNotMatch(page.body, /<script/i);
});

test("writes without any session cookie need no CSRF token (nothing to ride on), except sign-in/up; big bodies are 413", async () => {
  const bare = await h.edge.fetch(new Request("http://localhost/api/actions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "view", artworkId: workId }) }));
  assert.equal(bare.status, 201);
  assert.match(bare.headers.get("set-cookie") ?? "", /^sid=/, "and it gets its own fresh session");
  const login = await h.edge.fetch(new Request("http://localhost/api/account/signin", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "a@b.co", password: "whatever1" }) }));
  assert.equal(login.status, 403, "login CSRF");
  const c = await client();
  const big = await c.post("/api/walls", { name: "x", pad: "y".repeat(70 * 1024) });
  assert.equal(big.status, 413);
  assert.equal(big.body.error.code, "body_too_large");
});

test("sign-up refuses unknown fields (no mass assignment)", async () => {
  const c = await client();
  const r = await c.post("/api/account/signup", { email: "m@example.org", password: "long enough pw", id: "admin", userId: "x" });
  assert.equal(r.status, 400);
});
