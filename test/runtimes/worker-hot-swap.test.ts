// Hot swap at the edge, on real workerd: the Worker serves version 1 of a real batch export from
// local R2; a second batch run crawls more works and exports version 2; the publisher copies it into
// R2 while 4 clients keep requesting. Every request must succeed, every answer must be exactly the
// version-1 or the version-2 answer for that URL (never a mix), no client may go back to version 1
// after it saw version 2, and all answers end on version 2.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createLogger } from "../../common/log.ts";
import { exportFixtureShop, type FixtureExport } from "../../scripts/deploy/fixture-export.ts";
import { startLocalEdge, type LocalEdge } from "../../scripts/deploy/local-edge.ts";
import { publish } from "../../scripts/deploy/publish.ts";
import { ensureWasmBuilt } from "../../wasm/src/build-for-tests.ts";

const dir = mkdtempSync(join(tmpdir(), "artsnob-worker-swap-"));
const quiet = createLogger({}, "error");
let v1: FixtureExport;
let edge: LocalEdge;
const measured: Record<string, unknown> = {};

before(async () => {
  ensureWasmBuilt();
  v1 = await exportFixtureShop(join(dir, "data"), 24);
  edge = await startLocalEdge({ dbPath: v1.dbPath, persistTo: join(dir, "wrangler"), vars: { ARTIFACT_POINTER_TTL_MS: "0" } });
  await publish({ from: v1.bucket, to: edge.r2, log: quiet });
});

after(async () => {
  await edge?.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ measured }));
});

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(edge.url + path);
  return { status: res.status, text: await res.text() };
}

test("publishing a new version while requests run: 0 errors, no mixed answers, all switch", async () => {
  const version1 = v1.summary.version!;
  const health1 = JSON.parse((await get("/api/health")).text) as { artifacts: { version: string } };
  assert.equal(health1.artifacts.version, version1);

  // Version 2 from a real second batch run (more products crawled). R2 still holds version 1.
  const v2 = await exportFixtureShop(v1.dataDir, 24);
  const version2 = v2.summary.version!;
  assert.notEqual(version2, version1, "the second run exported a new version");

  const feed = JSON.parse((await get("/api/feed?limit=40")).text) as { items: Array<{ id: number }> };
  // The oldest works: crawled by the first run, so in both versions.
  const ids = feed.items.map((w) => w.id).sort((a, b) => a - b);
  const paths = [...ids.slice(0, 4).map((id) => `/api/art/${id}/similar?limit=6`), `/api/similar?ids=${ids[0]},${ids[1]}&limit=6`];
  const before1 = new Map<string, string>();
  for (const p of paths) before1.set(p, (await get(p)).text);

  let stop = false;
  let sawV2At = 0;
  const statuses = new Map<number, number>();
  const seen: Array<{ client: number; path: string; text: string; t: number }> = [];
  const client = async (c: number) => {
    let i = c;
    while (!stop) {
      const path = i % 3 === 0 ? "/api/health" : paths[i % paths.length]!;
      const r = await get(path);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      seen.push({ client: c, path, text: r.text, t: Date.now() });
      i++;
    }
  };
  const clients = [0, 1, 2, 3].map(client);
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  const pub = await publish({ from: v2.bucket, to: edge.r2, images: true, log: quiet });
  measured.publishMs = Date.now() - t0;
  assert.equal(pub.version, version2);
  // Keep the load running until the Worker reports version 2, then a little longer.
  for (let tries = 0; tries < 100; tries++) {
    const h = seen.filter((s) => s.path === "/api/health").at(-1);
    if (h && (JSON.parse(h.text) as { artifacts: { version: string } }).artifacts.version === version2) {
      sawV2At = h.t;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 500));
  stop = true;
  await Promise.all(clients);
  measured.requests = seen.length;
  measured.statuses = Object.fromEntries(statuses);
  measured.v2ServedAfterPublishStartMs = sawV2At - t0;

  assert.ok(sawV2At > 0, "the Worker moved to version 2");
  assert.deepEqual([...statuses.keys()], [200], `every request succeeded: ${JSON.stringify(measured.statuses)}`);
  assert.ok(seen.length > 40, `requests ran during the swap (${seen.length})`);

  const after2 = new Map<string, string>();
  for (const p of paths) after2.set(p, (await get(p)).text);
  assert.ok(paths.some((p) => after2.get(p) !== before1.get(p)), "answers changed with the new version");

  // Every answer is exactly the v1 or the v2 answer; per client, v2 is never followed by v1.
  const lastVersion = new Map<number, 1 | 2>();
  for (const s of seen) {
    let v: 1 | 2;
    if (s.path === "/api/health") {
      const version = (JSON.parse(s.text) as { artifacts: { version: string } }).artifacts.version;
      assert.ok(version === version1 || version === version2, version);
      v = version === version1 ? 1 : 2;
    } else if (s.text === after2.get(s.path) && s.text !== before1.get(s.path)) v = 2;
    else if (s.text === before1.get(s.path)) v = before1.get(s.path) === after2.get(s.path) ? (lastVersion.get(s.client) ?? 1) : 1;
    else assert.fail(`${s.path}: an answer that is neither version's (mixed or half-loaded index):\n${s.text.slice(0, 300)}`);
    assert.ok(!(lastVersion.get(s.client) === 2 && v === 1), `client ${s.client} went back to version 1 on ${s.path}`);
    lastVersion.set(s.client, v);
  }
  const loaded = edge.logs.filter((l) => l.includes('"artifacts loaded"') && l.includes(version2));
  assert.ok(loaded.length >= 1, "the Worker logged loading version 2");
});
