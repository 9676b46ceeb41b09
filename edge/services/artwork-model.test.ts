// The read model upgrades from derived clusters/tags/vibes/map to the batch's artifacts when a
// version publishes them (same JSON shapes as batch/export/export.ts), and ignores broken ones.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { MANIFEST_FILE } from "../../common/artifacts/read.ts";
import { ELEMENT, MAGIC, ManifestSchema, encodeBinary, sha256Hex } from "../../common/artifacts/format.ts";
import { CURRENT_POINTER_KEY, artifactKey } from "../../common/bucket/keys.ts";
import type { ClustersResponse, MapResponse, VibesResponse, ArtworkDetailResponse, TagsResponse } from "../../common/api-reads.ts";
import { createLogger } from "../../common/log.ts";
import { seedFixture, type Seeded } from "../../test/fixtures/seed.ts";
import { localDeps } from "../adapter/local.ts";
import { createApp } from "../app.ts";

let seeded: Seeded;
let app: ReturnType<typeof createApp>["app"];
let close = () => {};

/** Republishes the seed's set under a new version with extra files added to the manifest. */
async function publishWithExtras(version: string, extra: (ids: Uint32Array) => Record<string, Uint8Array>): Promise<void> {
  const pointer = JSON.parse(new TextDecoder().decode((await seeded.bucket.get(CURRENT_POINTER_KEY))!)) as { version: string };
  const manifest = ManifestSchema.parse(JSON.parse(new TextDecoder().decode((await seeded.bucket.get(artifactKey(pointer.version, MANIFEST_FILE)))!)));
  const ids = new Uint32Array((await seeded.bucket.get(artifactKey(pointer.version, "ids.u32")))!.slice(32).buffer);
  for (const [name, entry] of Object.entries(manifest.files)) await seeded.bucket.put(artifactKey(version, entry.path), (await seeded.bucket.get(artifactKey(pointer.version, entry.path)))!);
  for (const [name, data] of Object.entries(extra(ids))) {
    await seeded.bucket.put(artifactKey(version, name), data);
    manifest.files[name] = { path: name, sha256: await sha256Hex(data), bytes: data.byteLength };
  }
  const text = JSON.stringify({ ...manifest, version });
  await seeded.bucket.put(artifactKey(version, MANIFEST_FILE), text);
  await seeded.bucket.put(CURRENT_POINTER_KEY, JSON.stringify({ version, manifestSha256: await sha256Hex(text), publishedAt: new Date().toISOString() }));
}

const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const get = async <T>(path: string) => (await (await app.request(path)).json()) as T;

before(async () => {
  seeded = await seedFixture();
  const local = await localDeps("node", createLogger({}, "error"), { dataDir: seeded.dir, site: false, options: { requestLog: false, artifactPointerTtlMs: 0 } });
  close = local.close;
  app = createApp(local.deps).app;
});
after(() => {
  close();
  seeded.cleanup();
});

test("derived first, then the batch's clusters, tags, vibes and map once published", async () => {
  assert.equal((await get<ClustersResponse>("/api/clusters")).source, "categories");
  assert.equal((await get<MapResponse>("/api/map?limit=1")).source, "pca");

  await publishWithExtras("with-extras", (ids) => {
    const n = ids.length;
    const clusterOf = new Uint32Array(n).map((_, r) => (r % 2 === 0 ? 0 : r === 1 ? 0xffffffff : 1));
    const map = new Float32Array(n * 2).map((_, i) => (i % 2 === 0 ? i : -i));
    const rowsOf = (c: number) => [...clusterOf.keys()].filter((r) => clusterOf[r] === c).reverse();
    return {
      "clusters.u32": encodeBinary({ magic: MAGIC.clusterOf, element: ELEMENT.u32, rows: n, cols: 1, scale: 1 }, new Uint8Array(clusterOf.buffer)),
      "clusters.json": json({ k: 2, clusters: [{ id: 0, label: "Even rows", topTags: ["even"], size: 1, center: [0, 0], rows: rowsOf(0) }, { id: 1, label: "Odd rows", topTags: ["odd"], size: 1, center: [0, 0], rows: rowsOf(1) }] }),
      "vibes.json": json({ vibes: [{ name: "Night Owl", tagline: "After dark", tags: ["owl"], clusters: [1], rows: [3] }] }),
      "tags.json": json({ tags: [{ name: "zesty", label: "Zesty", count: 2, score: 9, weightedScore: 99, rows: [0, 2] }], display: Array.from({ length: n }, (_, r) => (r === 0 ? [0] : [])) }),
      "map.f32": encodeBinary({ magic: MAGIC.map, element: ELEMENT.f32, rows: n, cols: 2, scale: 1 }, new Uint8Array(map.buffer)),
    };
  });
  const clusters = await get<ClustersResponse>("/api/clusters?limit=10");
  assert.equal(clusters.source, "artifacts");
  assert.deepEqual(clusters.items.map((c) => c.label), ["Even rows", "Odd rows", "New arrivals"]);
  assert.deepEqual(clusters.items[0]!.tags, ["even"]);
  const vibes = await get<VibesResponse>("/api/vibes");
  assert.equal(vibes.vibes[0]!.name, "Night Owl");
  const map = await get<MapResponse>("/api/map?limit=5000");
  assert.equal(map.source, "artifacts");
  assert.ok(map.items.every((p) => p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1));
  const tags = await get<TagsResponse>("/api/tags?limit=1");
  assert.deepEqual(tags.items[0], { name: "zesty", label: "Zesty", count: 2, score: 99 });
  const first = seeded.works.find((w) => w.inArtifacts && w.status === "active")!;
  assert.deepEqual((await get<ArtworkDetailResponse>(`/api/art/${first.id}`)).displayTags, ["zesty"]);
});

test("a malformed optional file is ignored (derived again), the core set keeps serving", async () => {
  await publishWithExtras("bad-extras", () => ({ "clusters.json": json({ clusters: "nope" }), "clusters.u32": new Uint8Array(8) }));
  const clusters = await get<ClustersResponse>("/api/clusters");
  assert.equal(clusters.source, "categories");
  assert.equal((await app.request(`/api/art/${seeded.works[0]!.id}/similar`)).status, 200);
});
