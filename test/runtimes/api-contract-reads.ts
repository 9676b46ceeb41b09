// The read endpoints of issue 6 over real HTTP (Node, Deno, workerd): feeds, taste finder, tags,
// clusters, vibes, map, hybrid search filters, enriched detail, reverse image search. Kept fast:
// a few requests per endpoint, every paged list walked once on the small seeded fixture.
import assert from "node:assert/strict";
import type {
  ArtworkDetailResponse,
  ClusterResponse,
  ClustersResponse,
  ExploreResponse,
  HybridSearchResponse,
  MapResponse,
  RandomResponse,
  RecommendedResponse,
  TagsResponse,
  TagWorksResponse,
  VibesResponse,
} from "../../common/api-reads.ts";
import type { ApiError } from "../../common/api.ts";
import type { ContractFixture } from "./api-contract.ts";

type Paged = { items: Array<{ id: number }>; next: string | null };

async function get<T>(base: string, path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(base + path, init);
  const text = await res.text();
  assert.match(res.headers.get("content-type") ?? "", /application\/json/, `${path}: JSON (got ${res.status} ${text.slice(0, 200)})`);
  return { status: res.status, body: JSON.parse(text) as T, headers: res.headers };
}

async function expectError(base: string, path: string, status: number, code?: string, init?: RequestInit): Promise<void> {
  const r = await get<ApiError>(base, path, init);
  assert.equal(r.status, status, `${path.slice(0, 120)} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  if (code) assert.equal(r.body.error.code, code, path);
}

/** Walks a paged list; asserts no repeats and returns the ids in order. */
async function walk(base: string, path: string, max = 60): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < max; i++) {
    const sep = path.includes("?") ? "&" : "?";
    const r: { status: number; body: Paged } = await get<Paged>(base, `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ""}`);
    assert.equal(r.status, 200, `${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    ids.push(...r.body.items.map((x) => x.id));
    cursor = r.body.next;
    if (!cursor) break;
  }
  assert.equal(new Set(ids).size, ids.length, `${path}: no repeats across pages`);
  return ids;
}

/** Deterministic read requests added to the cross-runtime JSON snapshot. */
export function readSnapshotPaths(fx: ContractFixture): string[] {
  const [a, b] = fx.works.filter((w) => w.status === "active" && w.inArtifacts);
  return [
    `/api/feed/recommended?likes=${a!.id},${b!.id}&limit=6`,
    `/api/feed/recommended?limit=6`,
    `/api/feed/explore?limit=3`,
    `/api/feed/random?seed=7&limit=5`,
    `/api/tags?limit=10`,
    `/api/tags/fox,tulip?limit=4`,
    `/api/clusters?limit=2`,
    `/api/clusters/1?limit=3`,
    `/api/vibes`,
    `/api/map?limit=5`,
    `/api/search?q=collection&orientation=portrait&maxPrice=2500&limit=5`,
  ];
}

export async function checkReadContract(base: string, fx: ContractFixture): Promise<void> {
  const active = fx.works.filter((w) => w.status === "active");
  const byId = new Map(fx.works.map((w) => [w.id, w]));
  const indexed = active.filter((w) => w.inArtifacts);

  // detail: display tags, cluster, offers
  const d = await get<ArtworkDetailResponse>(base, `/api/art/${indexed[0]!.id}`);
  assert.equal(d.status, 200);
  assert.ok(d.body.displayTags.length > 0 && d.body.displayTags.every((t) => indexed[0]!.tags.includes(t)));
  assert.equal(d.body.cluster?.label.toLowerCase(), indexed[0]!.category);
  assert.equal(d.body.offers.length, 1);
  assert.equal(d.body.offers[0]!.buyUrl, `/go/${indexed[0]!.id}`);

  // recommended: likes from one category pull that category; reasons name a liked work; paging is stable
  const liked = indexed.filter((w) => w.category === "flowers").slice(0, 3);
  const likes = liked.map((w) => w.id).join(",");
  const reco = await get<RecommendedResponse>(base, `/api/feed/recommended?likes=${likes}&limit=6`);
  assert.equal(reco.status, 200);
  assert.equal(reco.body.mode, "personal");
  // Without a session the answer is a pure function of the URL: cacheable, no cookie minted.
  assert.match(reco.headers.get("cache-control") ?? "", /public/);
  assert.match(reco.headers.get("vary") ?? "", /cookie/i);
  assert.ok(reco.headers.get("etag"));
  assert.equal(reco.headers.get("set-cookie"), null);
  assert.ok(reco.body.items.every((i) => !liked.some((l) => l.id === i.id)), "liked works are not recommended back");
  const flowers = reco.body.items.filter((i) => byId.get(i.id)?.category === "flowers").length;
  assert.ok(flowers >= 4, `likes pull their category: ${flowers}/6`);
  const first = reco.body.items[0]!;
  const why = first.why;
  assert.ok(why.kind === "liked" && liked.some((l) => l.id === why.artworkId) && why.text.startsWith("because you liked"), JSON.stringify(why));
  const perArtist = new Map<string, number>();
  for (const i of reco.body.items) perArtist.set(i.artist ?? "", (perArtist.get(i.artist ?? "") ?? 0) + 1);
  assert.ok([...perArtist.values()].every((n) => n <= 2), "at most 2 works per artist per page");
  const recoAll = await walk(base, `/api/feed/recommended?likes=${likes}&limit=5`);
  assert.deepEqual(recoAll.slice(0, 5), (await get<RecommendedResponse>(base, `/api/feed/recommended?likes=${likes}&limit=5`)).body.items.map((i) => i.id));
  const disliked = await get<RecommendedResponse>(base, `/api/feed/recommended?likes=${likes}&dislikes=${reco.body.items[0]!.id}&limit=6`);
  assert.ok(!disliked.body.items.some((i) => i.id === reco.body.items[0]!.id), "a disliked work is gone");
  const cold = await get<RecommendedResponse>(base, `/api/feed/recommended?limit=8`);
  assert.equal(cold.body.mode, "curated");
  assert.ok(new Set(cold.body.items.map((i) => byId.get(i.id)?.category)).size >= 3, "the cold mix spans clusters");
  await expectError(base, `/api/feed/recommended?likes=abc`, 400);
  await expectError(base, `/api/feed/recommended?cursor=garbage`, 400, "invalid_cursor");
  await expectError(base, `/api/feed/recommended?likes=${likes}&cursor=${encodeURIComponent(cold.body.next!)}`, 400, "invalid_cursor");

  // explore: one unseen cluster at a time, ends cleanly
  const seen: number[] = [];
  for (let i = 0; i < 10; i++) {
    const e: { status: number; body: ExploreResponse } = await get<ExploreResponse>(base, `/api/feed/explore?limit=3${seen.length ? `&seen=${seen.join(",")}` : ""}`);
    assert.equal(e.status, 200);
    if (e.body.done) {
      assert.equal(e.body.cluster, null);
      break;
    }
    assert.ok(e.body.cluster && !seen.includes(e.body.cluster.id));
    assert.ok(e.body.items.every((it) => byId.get(it.id)?.category === e.body.cluster!.label.toLowerCase()));
    seen.push(e.body.cluster!.id);
  }
  assert.equal(seen.length, 4, "every cluster shown once, then done");
  await expectError(base, `/api/feed/explore?seen=x`, 400);

  // random: seeded, cursor-stable, covers the catalogue once
  const rnd = await walk(base, `/api/feed/random?seed=42&limit=7`);
  assert.deepEqual([...rnd].sort((x, y) => x - y), active.map((w) => w.id).sort((x, y) => x - y));
  const rnd2 = await get<RandomResponse>(base, `/api/feed/random?seed=42&limit=7`);
  assert.deepEqual(rnd2.body.items.map((i) => i.id), rnd.slice(0, 7));
  await expectError(base, `/api/feed/random?seed=-1`, 400);

  // tags: scored list; works of several tags interleaved
  const tags = await get<TagsResponse>(base, `/api/tags?limit=500`);
  assert.ok(tags.body.items.length > 5);
  assert.deepEqual(tags.body.items.map((t) => t.score), [...tags.body.items.map((t) => t.score)].sort((x, y) => y - x));
  const two = await get<TagWorksResponse>(base, `/api/tags/fox|tulip`);
  assert.equal(two.status, 200);
  assert.deepEqual(two.body.items.slice(0, 2).map((i) => byId.get(i.id)!.tags.includes("fox")), [true, false], "interleaved");
  await expectError(base, `/api/tags/no-such-tag-anywhere`, 404, "tag_not_found");
  await expectError(base, `/api/tags/a,b,c,d,e,f`, 400);

  // clusters: every active work once; members of a cluster share it
  const clusters = await get<ClustersResponse>(base, `/api/clusters?limit=50`);
  assert.equal(clusters.body.items.length, 4);
  let members = 0;
  for (const c of clusters.body.items) members += (await walk(base, `/api/clusters/${c.id}?limit=4`)).length;
  assert.equal(members, active.length);
  const c0 = await get<ClusterResponse>(base, `/api/clusters/0?limit=50`);
  assert.ok(c0.body.items.every((i) => byId.get(i.id)?.category === c0.body.cluster.label.toLowerCase()));
  await expectError(base, `/api/clusters/999`, 404, "cluster_not_found");
  await expectError(base, `/api/clusters/abc`, 400);

  // vibes
  const vibes = await get<VibesResponse>(base, `/api/vibes`);
  assert.ok(vibes.body.vibes.length > 0 && vibes.body.vibes.every((v) => v.items.length > 0));
  const vibe = await walk(base, `/api/vibes/${vibes.body.vibes[0]!.id}?limit=4`);
  assert.ok(vibe.length > 0);
  await expectError(base, `/api/vibes/nope`, 404, "vibe_not_found");

  // map: coordinates in [0,1]², pages cover every indexed active work, bbox cuts
  const map = await walk(base, `/api/map?limit=9`);
  assert.equal(map.length, indexed.length);
  const half = await get<MapResponse>(base, `/api/map?bbox=0,0,0.5,1&limit=5000`);
  assert.ok(half.body.items.every((p) => p.x <= 0.5 && p.x >= 0 && p.y >= 0 && p.y <= 1));
  assert.ok(half.body.total < indexed.length);
  await expectError(base, `/api/map?bbox=0,0,2,1`, 400);

  // search filters
  const filtered = await get<HybridSearchResponse>(base, `/api/search?q=collection&orientation=portrait&maxPrice=2500&limit=100`);
  assert.equal(filtered.status, 200);
  assert.ok(filtered.body.items.length > 0);
  assert.ok(filtered.body.items.every((i) => i.orientation === "portrait" && (i.fromPriceCents ?? 0) <= 2500));
  const tagged = await get<HybridSearchResponse>(base, `/api/search?q=collection&tag=fox`);
  assert.ok(tagged.body.items.length > 0 && tagged.body.items.every((i) => byId.get(i.id)!.tags.includes("fox")));
  await expectError(base, `/api/search?q=fox&orientation=round`, 400);
  await expectError(base, `/api/search?q=fox&minPrice=500&maxPrice=100`, 400);

  // reverse image search: validated upload; an embedder mismatch or absence is a clear 4xx/501, never 5xx
  const notImage = await fetch(`${base}/api/similar/upload`, { method: "POST", headers: { "content-type": "image/png", origin: base }, body: new Uint8Array([1, 2, 3]) });
  assert.ok([415, 501].includes(notImage.status), `not an image → ${notImage.status}`);
  await notImage.body?.cancel();
  const huge = await fetch(`${base}/api/similar/upload`, { method: "POST", headers: { "content-type": "image/png", origin: base }, body: new Uint8Array(6 * 1024 * 1024) });
  assert.ok([413, 501].includes(huge.status), `too large → ${huge.status}`);
  await huge.body?.cancel();
}
