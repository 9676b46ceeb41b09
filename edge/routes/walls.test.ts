// Walls (items, sizes, frames, positions, total price), sharing, history/undo, and ownership: a second
// session can neither read nor change the first one's likes, walls or history.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, startHarness, type Harness } from "../test/harness.ts";

let h: Harness;
let works: Array<{ id: number; sizes: Array<{ label: string; priceCents: number | null }> }>;
before(async () => {
  h = await startHarness();
  works = h.seeded.works.filter((w) => w.status === "active") as never;
});
after(() => h?.close());

async function client(): Promise<Client> {
  const c = new Client(h.edge.fetch);
  c.csrf = (await c.get("/api/session")).body.csrfToken;
  return c;
}

test("walls: create, rename, hang works at chosen size/frame/position, total price, move, remove, delete", async () => {
  const c = await client();
  const w = await c.post("/api/walls", { name: "  Living room ", widthCm: 400, heightCm: 260 });
  assert.equal(w.status, 201);
  assert.equal(w.body.name, "Living room");
  assert.match(w.body.id, /^[A-Za-z0-9_-]{22}$/);
  const [a, b] = works;
  const detailA = (await c.get(`/api/art/${a!.id}`)).body;
  const detailB = (await c.get(`/api/art/${b!.id}`)).body;
  let r = await c.post(`/api/walls/${w.body.id}/items`, { artworkId: a!.id, size: detailA.sizes[0].label, frameColor: "oak", xCm: 10, yCm: 20 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await c.post(`/api/walls/${w.body.id}/items`, { artworkId: b!.id, size: detailB.sizes[1].key ?? detailB.sizes[1].label, xCm: 120.5, yCm: 30 });
  assert.equal(r.status, 201);
  assert.equal(r.body.items.length, 2);
  assert.equal(r.body.items[0].frameColor, "oak");
  assert.equal(r.body.items[1].sizeLabel, detailB.sizes[1].label, "a size key is stored as its label");
  assert.equal(r.body.items[1].xCm, 120.5);
  const expected = detailA.sizes[0].priceCents + detailB.sizes[1].priceCents;
  assert.deepEqual(r.body.total, { byCurrency: { [detailA.sizes[0].currency]: expected }, unpriced: 0 });

  const bad = await c.post(`/api/walls/${w.body.id}/items`, { artworkId: a!.id, size: "Gigantic" });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.error.details.sizes, detailA.sizes.map((s: { label: string }) => s.label));
  assert.equal((await c.post(`/api/walls/${w.body.id}/items`, { artworkId: a!.id, size: "Small", frameColor: "plaid" })).status, 400);
  assert.equal((await c.post(`/api/walls/${w.body.id}/items`, { artworkId: a!.id, size: "Small", xCm: -1 })).status, 400);
  assert.equal((await c.post(`/api/walls/${w.body.id}/items`, { artworkId: 99999, size: "Small" })).status, 404);

  const item = r.body.items[1].id;
  r = await c.patch(`/api/walls/${w.body.id}/items/${item}`, { xCm: 200, size: detailB.sizes[0].label, frameColor: "white" });
  assert.equal(r.status, 200);
  assert.equal(r.body.items[1].xCm, 200);
  assert.equal(r.body.total.byCurrency.EUR, detailA.sizes[0].priceCents + detailB.sizes[0].priceCents);
  r = await c.patch(`/api/walls/${w.body.id}`, { name: "Study" });
  assert.equal(r.body.name, "Study");
  r = await c.del(`/api/walls/${w.body.id}/items/${item}`);
  assert.equal(r.body.items.length, 1);
  assert.equal((await c.del(`/api/walls/${w.body.id}/items/${item}`)).status, 404);
  assert.equal((await c.get("/api/walls")).body.items.length, 1);
  assert.equal((await c.del(`/api/walls/${w.body.id}`)).status, 204);
  assert.equal((await c.get(`/api/walls/${w.body.id}`)).status, 404);
  assert.equal((await c.get("/api/walls")).body.items.length, 0);
});

test("sharing: public read-only link with an unguessable id; revoke ends it; re-share gives a new id", async () => {
  const c = await client();
  const w = (await c.post("/api/walls", { name: "Shared" })).body;
  await c.post(`/api/walls/${w.id}/items`, { artworkId: works[0]!.id, size: "Small" });
  const s1 = await c.post(`/api/walls/${w.id}/share`);
  assert.equal(s1.status, 200);
  assert.match(s1.body.shareId, /^[A-Za-z0-9_-]{22}$/);
  assert.equal((await c.post(`/api/walls/${w.id}/share`)).body.shareId, s1.body.shareId, "idempotent while shared");
  const stranger = new Client(h.edge.fetch);
  const pub = await stranger.get(s1.body.path);
  assert.equal(pub.status, 200);
  assert.equal(pub.body.name, "Shared");
  assert.equal(pub.body.items.length, 1);
  assert.equal(pub.body.shareId, null, "the public view does not echo owner details");
  // Read-only: the share id is not a wall id, and the stranger cannot write through it.
  assert.equal((await stranger.post(`/api/walls/${s1.body.shareId}/items`, { artworkId: works[0]!.id, size: "Small" }, { origin: "http://localhost" })).status, 404);
  assert.equal((await c.del(`/api/walls/${w.id}/share`)).status, 204);
  assert.equal((await stranger.get(s1.body.path)).status, 404);
  const s2 = await c.post(`/api/walls/${w.id}/share`);
  assert.notEqual(s2.body.shareId, s1.body.shareId);
  assert.equal((await stranger.get(s1.body.path)).status, 404, "a revoked link never comes back");
  assert.equal((await stranger.get("/api/shared/not-a-real-share-id-000")).status, 404);
});

test("actions: history newest first with cursor paging, undo (last or by id), likes reflect undo", async () => {
  const c = await client();
  const [a, b, d] = works;
  const ids: number[] = [];
  for (const body of [
    { kind: "view", artworkId: a!.id },
    { kind: "like", artworkId: a!.id },
    { kind: "dislike", artworkId: b!.id },
    { kind: "skip", artworkId: d!.id },
    { kind: "search", query: "golden tulip" },
  ]) {
    const r = await c.post("/api/actions", body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  const p1 = await c.get("/api/history?limit=2");
  assert.deepEqual(p1.body.items.map((i: { id: number }) => i.id), [ids[4], ids[3]]);
  const p2 = await c.get(`/api/history?limit=2&cursor=${p1.body.next}`);
  const p3 = await c.get(`/api/history?limit=2&cursor=${p2.body.next}`);
  assert.deepEqual([...p2.body.items, ...p3.body.items].map((i: { id: number }) => i.id), [ids[2], ids[1], ids[0]]);
  assert.equal(p3.body.next, null);
  assert.equal((await c.get("/api/history?kind=search")).body.items[0].query, "golden tulip");

  const u = await c.post("/api/actions/undo", {});
  assert.equal(u.status, 200);
  assert.equal(u.body.undone.id, ids[3], "undo without id reverts the newest like/dislike/skip");
  assert.equal(u.body.undo.kind, "undo");
  assert.equal(u.body.undo.targetActionId, ids[3]);
  assert.equal((await c.post("/api/actions/undo", { actionId: ids[3] })).status, 409);
  assert.equal((await c.post("/api/actions/undo", { actionId: u.body.undo.id })).status, 400);
  const likes = (await c.get("/api/likes")).body;
  assert.deepEqual(likes, { liked: [a!.id], disliked: [b!.id] });
  await c.post("/api/actions/undo", { actionId: ids[1] });
  assert.deepEqual((await c.get("/api/likes")).body.liked, []);
  assert.equal((await c.post("/api/exposures", { artworkIds: [a!.id, b!.id, a!.id], surface: "feed" })).status, 204);
  const exp = (await c.get("/api/account/export")).body;
  assert.equal(exp.exposures.length, 2);
});

test("ownership: a second session can neither read nor change the first's likes, walls, history", async () => {
  const owner = await client();
  const intruder = await client();
  const like = await owner.post("/api/actions", { kind: "like", artworkId: works[0]!.id });
  const wall = (await owner.post("/api/walls", { name: "Mine" })).body;
  await owner.post(`/api/walls/${wall.id}/items`, { artworkId: works[0]!.id, size: "Small" });
  const itemId = (await owner.get(`/api/walls/${wall.id}`)).body.items[0].id;

  assert.equal((await intruder.get(`/api/walls/${wall.id}`)).status, 404);
  assert.deepEqual((await intruder.get("/api/walls")).body.items, []);
  assert.deepEqual((await intruder.get("/api/history")).body.items, []);
  assert.deepEqual((await intruder.get("/api/likes")).body, { liked: [], disliked: [] });
  assert.equal((await intruder.patch(`/api/walls/${wall.id}`, { name: "Hacked" })).status, 404);
  assert.equal((await intruder.del(`/api/walls/${wall.id}`)).status, 404);
  assert.equal((await intruder.post(`/api/walls/${wall.id}/items`, { artworkId: works[1]!.id, size: "Small" })).status, 404);
  assert.equal((await intruder.patch(`/api/walls/${wall.id}/items/${itemId}`, { xCm: 5 })).status, 404);
  assert.equal((await intruder.del(`/api/walls/${wall.id}/items/${itemId}`)).status, 404);
  assert.equal((await intruder.post(`/api/walls/${wall.id}/share`)).status, 404);
  assert.equal((await intruder.del(`/api/walls/${wall.id}/share`)).status, 404);
  assert.equal((await intruder.post("/api/actions/undo", { actionId: like.body.id })).status, 404);
  const exp = (await intruder.get("/api/account/export")).body;
  assert.deepEqual([exp.actions, exp.walls], [[], []]);
  assert.equal((await intruder.del("/api/account")).status, 200);

  // The owner's state is untouched.
  const mine = (await owner.get(`/api/walls/${wall.id}`)).body;
  assert.equal(mine.name, "Mine");
  assert.equal(mine.items.length, 1);
  assert.equal(mine.items[0].xCm, 0);
  assert.equal(mine.shareId, null);
  assert.deepEqual((await owner.get("/api/likes")).body.liked, [works[0]!.id]);
});
