// The edge API contract, checked over real HTTP against any runtime serving the seeded fixture
// (test/fixtures/seed.ts). Every runtime test runs `checkApiContract(baseUrl, fixture)`; the returned
// snapshot (JSON of a fixed list of requests) lets tests compare runtimes for byte-identical answers.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ApiError, ArtworkDetail, FeedResponse, HealthResponse, SearchResponse, SimilarResponse } from "../../common/api.ts";
import type { Seeded } from "../fixtures/seed.ts";
import { checkReadContract, readSnapshotPaths } from "./api-contract-reads.ts";
import { checkWriteContract } from "./api-contract-writes.ts";

export type ContractFixture = Pick<Seeded, "works" | "noNeighboursId" | "notIndexedId" | "removedId" | "version">;

/** Requests whose JSON must be identical on every runtime. */
export function snapshotPaths(fx: ContractFixture): string[] {
  const [a, b] = fx.works.filter((w) => w.status === "active" && w.inArtifacts);
  return [
    `/api/art/${a!.id}`,
    `/api/art/${a!.id}/similar`,
    `/api/art/${fx.noNeighboursId}/similar?limit=5`,
    `/api/similar?ids=${a!.id},${b!.id}&limit=5`,
    `/api/feed?limit=5`,
    `/api/search?q=fox`,
    `/api/search?q=golden%20tulip&limit=3`,
    `/api/art/abc`,
    `/api/art/999999999`,
    `/api/feed?cursor=garbage`,
    `/api/search`,
    ...readSnapshotPaths(fx),
  ];
}

export async function getJson<T>(base: string, path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(base + path, { redirect: "manual", ...init });
  const text = await res.text();
  assert.match(res.headers.get("content-type") ?? "", /application\/json/, `${path}: JSON content type (got ${res.status} ${text.slice(0, 200)})`);
  return { status: res.status, body: JSON.parse(text) as T, headers: res.headers };
}

async function expectError(base: string, path: string, status: number, code?: string): Promise<void> {
  const { status: got, body } = await getJson<ApiError>(base, path);
  assert.equal(got, status, `${path.slice(0, 120)} → ${got} ${JSON.stringify(body).slice(0, 200)}`);
  assert.equal(typeof body.error?.code, "string", `${path.slice(0, 80)}: error.code`);
  assert.equal(typeof body.error?.message, "string", `${path.slice(0, 80)}: error.message`);
  if (code) assert.equal(body.error.code, code, path.slice(0, 120));
}

export async function checkApiContract(base: string, fx: ContractFixture): Promise<Record<string, unknown>> {
  const active = fx.works.filter((w) => w.status === "active");
  const indexed = active.filter((w) => w.inArtifacts);
  const first = indexed[0]!;

  // health
  const health = await getJson<HealthResponse & { problems: string[] }>(base, "/api/health");
  assert.equal(health.status, 200);
  assert.equal(health.body.status, "ok", JSON.stringify(health.body));
  assert.equal(health.body.db, "ok");
  assert.equal(health.body.artifacts?.version, fx.version);
  assert.equal(health.body.artifacts?.count, fx.works.length - 1);

  // detail
  const detail = await getJson<ArtworkDetail>(base, `/api/art/${first.id}`);
  assert.equal(detail.status, 200);
  assert.equal(detail.body.id, first.id);
  assert.equal(detail.body.title, first.title);
  assert.equal(detail.body.buyUrl, `/go/${first.id}`);
  assert.deepEqual(detail.body.tags, first.tags);
  assert.ok(detail.body.sizes.length > 0);
  assert.match(detail.body.image.url, /^\/img\//);
  assert.equal(detail.headers.get("x-content-type-options"), "nosniff");
  assert.match(detail.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  const detailTag = detail.headers.get("etag");
  assert.ok(detailTag, "API reads carry an ETag");
  const revalidated = await fetch(`${base}/api/art/${first.id}`, { headers: { "If-None-Match": detailTag } });
  assert.equal(revalidated.status, 304);
  await revalidated.body?.cancel();

  // bad input: 4xx JSON, never 5xx
  await expectError(base, "/api/art/abc", 400, "invalid_path");
  await expectError(base, "/api/art/999999999", 404, "artwork_not_found");
  await expectError(base, "/api/art/0", 400);
  await expectError(base, "/api/art/-1", 400);
  await expectError(base, "/api/art/1e3", 400);
  await expectError(base, "/api/art/99999999999999999999", 400);
  await expectError(base, `/api/art/${fx.removedId}`, 404);
  await expectError(base, `/api/art/${fx.removedId}/similar`, 404, "artwork_not_found"); // removed, still in the index
  await expectError(base, "/api/art/999999999/similar", 404, "artwork_not_found");
  await expectError(base, "/api/feed?cursor=garbage", 400, "invalid_cursor");
  await expectError(base, "/api/feed?cursor=eyJrIjoiZmVlZCIsImIiOi0xfQ", 400, "invalid_cursor"); // {"k":"feed","b":-1}
  await expectError(base, "/api/feed?limit=0", 400);
  await expectError(base, "/api/feed?limit=abc", 400);
  await expectError(base, "/api/search", 400, "missing_query");
  await expectError(base, "/api/search?q=", 400);
  await expectError(base, `/api/search?q=${"x%22*(".repeat(1700)}`, 400, "query_too_long"); // ≈10 KB of junk
  await expectError(base, "/api/search?q=fox&cursor=%%%", 400);
  await expectError(base, "/api/similar", 400, "missing_ids");
  await expectError(base, "/api/similar?ids=abc", 400);
  await expectError(base, "/api/similar?ids=999999", 404);
  await expectError(base, "/api/art/abc/similar", 400);
  await expectError(base, `/api/art/${first.id}/similar?cursor=garbage`, 400, "invalid_cursor");
  await expectError(base, "/api/nope", 404, "not_found");

  // feed: walk every page; union = all active works, newest first, nothing repeated or skipped
  const seen: number[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const page: { status: number; body: FeedResponse } = await getJson<FeedResponse>(base, `/api/feed?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    assert.equal(page.status, 200);
    assert.ok(page.body.items.length <= 7);
    seen.push(...page.body.items.map((i) => i.id));
    cursor = page.body.next;
    if (!cursor) break;
  }
  assert.deepEqual(seen, active.map((w) => w.id).sort((x, y) => y - x));

  // search: FTS5 with user text made safe
  const fox = await getJson<SearchResponse>(base, "/api/search?q=fox");
  assert.equal(fox.status, 200);
  assert.ok(fox.body.items.length > 0);
  assert.ok(fox.body.items.every((i) => /fox/i.test(i.title)), JSON.stringify(fox.body.items.map((i) => i.title)));
  assert.equal(fox.body.total, active.filter((w) => /fox/i.test(w.title)).length);
  for (const hostile of ['"fox" OR NEAR(', "title:fox", "fox*)(", "AND OR NOT", "'; DROP TABLE artworks; --", "\u0000fox"]) {
    const r = await getJson<SearchResponse>(base, `/api/search?q=${encodeURIComponent(hostile)}`);
    assert.equal(r.status, 200, `${hostile} → ${r.status} ${JSON.stringify(r.body)}`);
  }
  const punct = await getJson<SearchResponse>(base, "/api/search?q=%21%21%21");
  assert.equal(punct.status, 200);
  assert.deepEqual(punct.body.items, []);
  const prefix = await getJson<SearchResponse>(base, "/api/search?q=tul");
  assert.ok(prefix.body.items.some((i) => /tulip/i.test(i.title)), "last word is a prefix match");
  // paging: the pages of a broad query cover its total without repeats
  const broad: number[] = [];
  let sc: string | null = null;
  let total = 0;
  for (let guard = 0; guard < 50; guard++) {
    const r: { status: number; body: SearchResponse } = await getJson<SearchResponse>(base, `/api/search?q=collection&limit=4${sc ? `&cursor=${encodeURIComponent(sc)}` : ""}`);
    assert.equal(r.status, 200);
    total = r.body.total;
    broad.push(...r.body.items.map((i) => i.id));
    sc = r.body.next;
    if (!sc) break;
  }
  assert.equal(new Set(broad).size, broad.length, "no repeats across search pages");
  assert.equal(broad.length, total);
  assert.equal(total, active.length);
  const otherQuery = await getJson<SearchResponse>(base, "/api/search?q=collection&limit=2");
  await expectError(base, `/api/search?q=fox&cursor=${encodeURIComponent(otherQuery.body.next!)}`, 400, "invalid_cursor");

  // similar from the neighbour table
  const sim = await getJson<SimilarResponse>(base, `/api/art/${first.id}/similar?limit=6`);
  assert.equal(sim.status, 200);
  assert.ok(sim.body.items.length > 0);
  assert.ok(sim.body.items.every((i) => i.id !== first.id));
  const scores = sim.body.items.map((i) => i.score);
  assert.deepEqual(scores, [...scores].sort((x, y) => y - x), "best first");
  const sameCategory = sim.body.items.filter((i) => fx.works.find((w) => w.id === i.id)?.category === first.category).length;
  assert.ok(sameCategory >= sim.body.items.length / 2, "neighbours mostly share the category");
  const p1 = await getJson<SimilarResponse>(base, `/api/art/${first.id}/similar?limit=3`);
  const p2 = await getJson<SimilarResponse>(base, `/api/art/${first.id}/similar?limit=3&cursor=${encodeURIComponent(p1.body.next!)}`);
  assert.deepEqual([...p1.body.items, ...p2.body.items].map((i) => i.id), sim.body.items.slice(0, 6).map((i) => i.id));
  // empty neighbour row → WASM core fallback; work not in the index → empty list
  const fallback = await getJson<SimilarResponse>(base, `/api/art/${fx.noNeighboursId}/similar?limit=5`);
  assert.equal(fallback.status, 200);
  assert.equal(fallback.body.items.length, 5);
  assert.ok(fallback.body.items.every((i) => i.id !== fx.noNeighboursId && i.score <= 1 && i.score >= -1));
  const unindexed = await getJson<SimilarResponse>(base, `/api/art/${fx.notIndexedId}/similar`);
  assert.equal(unindexed.status, 200);
  assert.deepEqual(unindexed.body.items, []);

  // more like these (WASM searchByExamples)
  const [a, b] = indexed;
  const more = await getJson<SimilarResponse>(base, `/api/similar?ids=${a!.id},${b!.id}&limit=5`);
  assert.equal(more.status, 200);
  assert.equal(more.body.items.length, 5);
  assert.ok(more.body.items.every((i) => i.id !== a!.id && i.id !== b!.id));
  assert.ok(more.body.next);
  const more2 = await getJson<SimilarResponse>(base, `/api/similar?ids=${a!.id},${b!.id}&limit=5&cursor=${encodeURIComponent(more.body.next!)}`);
  assert.equal(more2.status, 200);
  assert.ok(more2.body.items.every((i) => !more.body.items.some((j) => j.id === i.id)));

  // click-out: 302 to the stored affiliate URL only, click recorded
  const go = await fetch(`${base}/go/${first.id}?size=Small`, { redirect: "manual" });
  assert.equal(go.status, 302);
  assert.equal(go.headers.get("location"), `http://127.0.0.1:9/product/${fx.works.indexOf(first) + 1}?ref=artsnob&size=s`);
  await go.body?.cancel();
  const goPlain = await fetch(`${base}/go/${first.id}`, { redirect: "manual" });
  assert.equal(goPlain.status, 302);
  assert.match(goPlain.headers.get("location") ?? "", /^http:\/\/127\.0\.0\.1:9\/product\//);
  await goPlain.body?.cancel();
  await expectError(base, `/go/${first.id}?size=${encodeURIComponent("https://evil.example/")}`, 400, "unknown_size");
  await expectError(base, `/go/${first.id}?url=https://evil.example/&size=Huge`, 400, "unknown_size");
  await expectError(base, "/go/abc", 400);
  await expectError(base, "/go/999999999", 404);

  // images through the bucket: immutable caching, ETag / 304
  const img = await fetch(base + detail.body.image.url);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get("content-type"), "image/webp");
  assert.match(img.headers.get("cache-control") ?? "", /immutable/);
  const etag = img.headers.get("etag");
  assert.ok(etag);
  const bytes = new Uint8Array(await img.arrayBuffer());
  assert.equal(String.fromCharCode(...bytes.subarray(8, 12)), "WEBP");
  const again = await fetch(base + detail.body.image.url, { headers: { "If-None-Match": etag } });
  assert.equal(again.status, 304);
  await again.body?.cancel();
  const missing = await fetch(`${base}/img/00/${"0".repeat(64)}/w500.webp`);
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  const escape = await fetch(`${base}/img/%2e%2e/%2e%2e/artsnob.db`);
  assert.ok(escape.status >= 400 && escape.status < 500, `path escape → ${escape.status}`);
  await escape.body?.cancel();

  await checkReadContract(base, fx);
  await checkWriteContract(base, fx);

  // the snapshot other runtimes must match
  const snapshot: Record<string, unknown> = {};
  for (const path of snapshotPaths(fx)) {
    const r = await getJson<unknown>(base, path);
    assert.ok(r.status < 500, `${path} → ${r.status}`);
    snapshot[path] = { status: r.status, body: r.body };
  }
  return snapshot;
}

/** Whether the site's SSR bundle is built (then every runtime must serve it for non-API GETs). */
export const SITE_BUILT = existsSync(fileURLToPath(new URL("../../site/server/entry.fetch.js", import.meta.url)));

/** The server-rendered site through the edge: home and a detail page are HTML naming the work. */
export async function checkSite(base: string, fx: ContractFixture): Promise<void> {
  const work = fx.works.find((w) => w.status === "active" && w.inArtifacts)!;
  const home = await fetch(`${base}/`);
  assert.equal(home.status, 200);
  assert.match(home.headers.get("content-type") ?? "", /text\/html/);
  await home.arrayBuffer();
  const page = await fetch(`${base}/art/${work.id}`);
  assert.equal(page.status, 200);
  assert.ok((await page.text()).includes(work.title), "detail page shows the title");
}
