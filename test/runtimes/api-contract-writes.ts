// The write side of the API contract over real HTTP (every runtime): session cookie, CSRF, sign-up /
// sign-in merge / sign-out, actions with undo and history, walls with items and total, sharing and
// revoking, ownership between two sessions, export and delete, metrics and the OpenAPI document.
import assert from "node:assert/strict";
import { Client } from "../../edge/test/client.ts";
import type { ContractFixture } from "./api-contract.ts";

export async function checkWriteContract(base: string, fx: ContractFixture): Promise<void> {
  const http = (req: Request) => fetch(req);
  const [a, b] = fx.works.filter((w) => w.status === "active");
  const me = new Client(http, base);
  const first = await me.get("/api/session");
  assert.equal(first.status, 200);
  assert.match(first.headers.get("set-cookie") ?? "", /^sid=[^;]+;.*HttpOnly/i, "anonymous session cookie on the first visit");
  me.csrf = first.body.csrfToken;

  // CSRF: no token and no same-origin signal → 403; a foreign Origin → 403
  const noToken = new Client(http, base);
  noToken.cookie = me.cookie;
  assert.equal((await noToken.post("/api/actions", { kind: "like", artworkId: a!.id })).status, 403);
  assert.equal((await noToken.post("/api/actions", { kind: "like", artworkId: a!.id }, { origin: "https://evil.example" })).status, 403);

  // actions, undo, history
  const like = await me.post("/api/actions", { kind: "like", artworkId: a!.id });
  assert.equal(like.status, 201, JSON.stringify(like.body));
  assert.equal((await me.post("/api/actions", { kind: "dislike", artworkId: b!.id })).status, 201);
  const undo = await me.post("/api/actions/undo", {});
  assert.equal(undo.status, 200);
  assert.equal(undo.body.undone.kind, "dislike");
  assert.deepEqual((await me.get("/api/likes")).body, { liked: [a!.id], disliked: [] });
  const hist = await me.get("/api/history?limit=2");
  assert.deepEqual(hist.body.items.map((i: { kind: string }) => i.kind), ["undo", "dislike"]);
  assert.ok(hist.body.next);
  assert.equal((await me.post("/api/actions", { kind: "like", artworkId: 999999999 })).status, 404);
  assert.equal((await me.post("/api/actions", "{nope")).status, 400);

  // walls
  const wall = await me.post("/api/walls", { name: "Contract wall" });
  assert.equal(wall.status, 201);
  const added = await me.post(`/api/walls/${wall.body.id}/items`, { artworkId: a!.id, size: "Small", frameColor: "white", xCm: 12, yCm: 34 });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  assert.equal(added.body.items[0].yCm, 34);
  assert.equal(added.body.total.unpriced + Object.keys(added.body.total.byCurrency).length, 1);
  assert.equal((await me.post(`/api/walls/${wall.body.id}/items`, { artworkId: a!.id, size: "https://evil.example" })).status, 422);

  // sharing
  const share = await me.post(`/api/walls/${wall.body.id}/share`);
  assert.equal(share.status, 200);
  const stranger = new Client(http, base);
  assert.equal((await stranger.get(share.body.path)).body.name, "Contract wall");

  // ownership
  stranger.csrf = (await stranger.get("/api/session")).body.csrfToken;
  assert.equal((await stranger.get(`/api/walls/${wall.body.id}`)).status, 404);
  assert.equal((await stranger.patch(`/api/walls/${wall.body.id}`, { name: "x" })).status, 404);
  assert.equal((await stranger.del(`/api/walls/${wall.body.id}/share`)).status, 404);
  assert.deepEqual((await stranger.get("/api/history")).body.items, []);
  assert.equal((await stranger.post("/api/actions/undo", { actionId: like.body.id })).status, 404);
  assert.equal((await me.del(`/api/walls/${wall.body.id}/share`)).status, 204);
  assert.equal((await stranger.get(share.body.path)).status, 404, "revoked");

  // account: sign-up merges, sign-out forgets, sign-in brings it back
  const email = `contract-${crypto.randomUUID()}@example.org`;
  const up = await me.post("/api/account/signup", { email, password: "contract passphrase" });
  assert.equal(up.status, 201, JSON.stringify(up.body));
  me.csrf = up.body.csrfToken;
  assert.equal((await me.get("/api/walls")).body.items.length, 1, "the anonymous wall moved into the account");
  assert.equal((await me.post("/api/account/signout")).status, 200);
  me.csrf = (await me.get("/api/session")).body.csrfToken;
  assert.deepEqual((await me.get("/api/likes")).body.liked, []);
  assert.equal((await me.post("/api/account/signin", { email, password: "wrong passphrase" })).status, 401);
  const inn = await me.post("/api/account/signin", { email, password: "contract passphrase" });
  assert.equal(inn.status, 200);
  me.csrf = inn.body.csrfToken;
  assert.deepEqual((await me.get("/api/likes")).body.liked, [a!.id]);
  const exp = await me.get("/api/account/export");
  assert.equal(exp.body.user.email, email);
  assert.equal(exp.body.walls.length, 1);
  assert.equal((await me.del("/api/account")).status, 200);
  assert.equal((await me.get("/api/session")).body.user, null);

  // click-outs record the session; metrics and docs
  const go = await me.get(`/go/${a!.id}?size=${encodeURIComponent("//evil.example")}`);
  assert.equal(go.headers.get("location"), null);
  const metrics = await fetch(`${base}/api/metrics`);
  assert.match(await metrics.text(), /^artsnob_http_requests_total\{method="POST",route="\/api\/actions",status="201"\} \d+$/m);
  const doc = await me.get("/api/openapi.json");
  assert.ok(doc.body.paths["/api/walls/{wallId}/items"]?.post);
  const page = await fetch(`${base}/api/docs`);
  assert.match(await page.text(), /Art Snob API reference/);
}
