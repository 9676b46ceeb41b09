// Publishing a new artifact version while requests are running (Node server, pointer TTL 0):
// no request fails, answers switch to the new version, and a corrupt version is refused while the
// last good one keeps serving (visible in /api/health).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { HealthResponse, SimilarResponse } from "../../common/api.ts";
import { artifactKey } from "../../common/bucket/keys.ts";
import { createLogger } from "../../common/log.ts";
import { startServer, type RunningServer } from "../../edge/adapter/node.ts";
import { ensureWasmBuilt } from "../../wasm/src/build-for-tests.ts";
import { DIM, NEIGHBOURS_K, seedFixture, writeArtifactSet, type Seeded } from "../fixtures/seed.ts";

let seeded: Seeded;
let server: RunningServer;

before(async () => {
  ensureWasmBuilt();
  seeded = await seedFixture({ count: 24 });
  server = await startServer({
    port: 0,
    dataDir: seeded.dir, // session secret and anything else the server keeps stays in the fixture
    databaseUrl: seeded.dbUrl,
    bucket: seeded.bucketDir,
    site: false,
    logger: createLogger({}, "error" as const),
    options: { requestLog: false, artifactPointerTtlMs: 0 },
  });
});

after(async () => {
  await server?.close();
  seeded?.cleanup();
});

const health = async () => (await (await fetch(`${server.url}/api/health`)).json()) as HealthResponse & { problems: string[] };

function vectors(n: number, seed: number): number[][] {
  let s = seed;
  const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: DIM }, rnd);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

test("hot swap under load: 0 errors, answers switch to the new version", async () => {
  const active = seeded.works.filter((w) => w.status === "active" && w.inArtifacts);
  const dropped = active[0]!; // not in v2
  const v2Ids = active.slice(1).map((w) => w.id);
  assert.equal((await health()).artifacts?.version, seeded.version);

  let stop = false;
  const statuses: number[] = [];
  const load = async () => {
    while (!stop) {
      for (const path of [`/api/art/${active[1]!.id}/similar?limit=5`, `/api/similar?ids=${active[2]!.id},${active[3]!.id}&limit=5`]) {
        const res = await fetch(server.url + path);
        statuses.push(res.status);
        await res.arrayBuffer();
      }
    }
  };
  const workers = Array.from({ length: 4 }, load);
  await new Promise((r) => setTimeout(r, 150));
  await writeArtifactSet(seeded.bucket, { version: "swap-2", ids: v2Ids, vectors: vectors(v2Ids.length, 7), dim: DIM, k: NEIGHBOURS_K });
  await new Promise((r) => setTimeout(r, 300));
  stop = true;
  await Promise.all(workers);

  assert.ok(statuses.length > 20, `requests ran during the swap (${statuses.length})`);
  assert.deepEqual([...new Set(statuses)], [200], "every request succeeded");
  assert.equal((await health()).artifacts?.version, "swap-2");
  const gone = (await (await fetch(`${server.url}/api/art/${dropped.id}/similar`)).json()) as SimilarResponse;
  assert.deepEqual(gone.items, [], "a work missing from the new version has no neighbours any more");
});

test("a corrupt version is refused; the last good one keeps serving; health says so", async () => {
  const before = (await health()).artifacts?.version;
  const ids = seeded.works.filter((w) => w.status === "active" && w.inArtifacts).map((w) => w.id);
  // Write the files and manifest of "broken", corrupt one file, then publish its pointer.
  await writeArtifactSet(seeded.bucket, { version: "broken", ids, vectors: vectors(ids.length, 9), dim: DIM, k: NEIGHBOURS_K });
  const key = artifactKey("broken", "neighbours.u32");
  const bytes = (await seeded.bucket.get(key))!;
  bytes[40] = bytes[40]! ^ 0xff;
  await seeded.bucket.put(key, bytes);

  const h = await health();
  assert.equal(h.status, "degraded");
  assert.equal(h.artifacts?.version, before, "still the last good version");
  assert.ok(h.problems.some((p) => /neighbours\.u32: sha256 mismatch/.test(p)), JSON.stringify(h.problems));
  const res = await fetch(`${server.url}/api/art/${ids[1]}/similar?limit=3`);
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as SimilarResponse).items.length, 3);
});
