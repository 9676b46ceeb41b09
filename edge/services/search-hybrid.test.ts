// Hybrid search with a real (tiny, generated) CLIP model: the index holds CLIP image vectors, the
// text side encodes the query in-process, BM25 and CLIP ranks are fused (RRF).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { MANIFEST_FILE } from "../../common/artifacts/read.ts";
import { sha256Hex } from "../../common/artifacts/format.ts";
import { CURRENT_POINTER_KEY, artifactKey } from "../../common/bucket/keys.ts";
import type { HybridSearchResponse } from "../../common/api-reads.ts";
import { openDatabase } from "../../common/db/client.ts";
import { artworks } from "../../common/db/schema.ts";
import { createLogger } from "../../common/log.ts";
import { createClipImageEmbedder, createClipTextEmbedder } from "../../batch/features/clip/index.ts";
import { writeTinyClip } from "../../scripts/model/tiny-clip.ts";
import { seedFixture, writeArtifactSet, type Seeded } from "../../test/fixtures/seed.ts";
import { localDeps } from "../adapter/local.ts";
import { createApp } from "../app.ts";

let seeded: Seeded;
let modelDir = "";
let app: ReturnType<typeof createApp>["app"];
let close = () => {};

before(async () => {
  seeded = await seedFixture();
  modelDir = mkdtempSync(join(tmpdir(), "artsnob-tinyclip-"));
  await writeTinyClip(modelDir);
  const images = await createClipImageEmbedder({ modelDir, modelId: "tiny", threads: 1 });
  const h = openDatabase(seeded.dbUrl);
  const rows = (await h.db.select({ id: artworks.id, v: artworks.imageVariants, status: artworks.status }).from(artworks)).filter((r) => r.status === "active");
  h.close();
  const vectors = await images.embedImages(await Promise.all(rows.map(async (r) => (await seeded.bucket.get(r.v.original!))!)));
  await writeArtifactSet(seeded.bucket, { version: "clip-1", ids: rows.map((r) => r.id), vectors: vectors.map((v) => [...v]), dim: images.dim, k: 8 });
  // Mark the set as CLIP vectors of this model (writeArtifactSet writes the seed's classic id).
  const manifest = JSON.parse(new TextDecoder().decode((await seeded.bucket.get(artifactKey("clip-1", MANIFEST_FILE)))!));
  manifest.embedder = { kind: "clip", id: images.id };
  const text = JSON.stringify(manifest);
  await seeded.bucket.put(artifactKey("clip-1", MANIFEST_FILE), text);
  await seeded.bucket.put(CURRENT_POINTER_KEY, JSON.stringify({ version: "clip-1", manifestSha256: await sha256Hex(text), publishedAt: new Date().toISOString() }));
  await images.close?.();
  const local = await localDeps("node", createLogger({}, "error"), { dataDir: seeded.dir, site: false, options: { requestLog: false } });
  local.deps.textEmbedder = await createClipTextEmbedder({ modelDir, modelId: "tiny" });
  close = local.close;
  app = createApp(local.deps).app;
});
after(async () => {
  close();
  seeded.cleanup();
  rmSync(modelDir, { recursive: true, force: true });
});

const search = async (q: string) => (await (await app.request(`/api/search?q=${encodeURIComponent(q)}&limit=50`)).json()) as HybridSearchResponse;

test("a query with no lexical match still finds works by CLIP similarity", async () => {
  const r = await search("purple");
  assert.equal(r.mode, "hybrid");
  assert.ok(r.items.length > 0);
});

test("lexical matches stay on top when both lists agree (RRF)", async () => {
  const r = await search("fox");
  assert.equal(r.mode, "hybrid");
  assert.match(r.items[0]!.title, /fox/i);
  assert.ok(r.total > r.items.filter((i) => /fox/i.test(i.title)).length, "CLIP adds works the words do not match");
});
