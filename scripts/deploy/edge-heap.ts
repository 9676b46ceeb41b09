// JS heap the edge app holds for its catalogue: the Node app on a prepared data dir (default: bench:api's
// 100k-work dir, built by `npm run bench:api`), a few reads to load the read model, artifacts and
// features, then a forced GC. Prints one JSON line. What a Worker isolate must fit besides the artifact
// store (scripts/deploy/edge-memory.ts) and the WASM index.
//   node --expose-gc --import tsx scripts/deploy/edge-heap.ts [dataDir]
import { existsSync } from "node:fs";
import { createLogger } from "../../common/log.ts";
import { localDeps } from "../../edge/adapter/local.ts";
import { createApp } from "../../edge/app.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const dataDir = process.argv[2] ?? ".cache/bench-api/100000";
if (!existsSync(dataDir)) throw new Error(`no data dir at ${dataDir}: run npm run bench:api once (it builds it), or pass one`);

const usage = () => {
  gc();
  const m = process.memoryUsage();
  return { heapMB: Math.round(m.heapUsed / 2 ** 20), arrayBuffersMB: Math.round(m.arrayBuffers / 2 ** 20), rssMB: Math.round(m.rss / 2 ** 20) };
};
const before = usage();
const local = await localDeps("node", createLogger({}, "error"), { dataDir, site: false, options: { requestLog: false } });
const { app, services } = createApp(local.deps);
const first = (await (await app.fetch(new Request("http://x/api/feed/random?seed=1&limit=1"))).json()) as { items: Array<{ id: number }> };
const id = first.items[0]!.id;
for (const path of [`/api/art/${id}`, `/api/art/${id}/similar`, `/api/feed/recommended?likes=${id}`, "/api/search?q=bird", "/api/map?limit=10"]) {
  const res = await app.fetch(new Request(`http://x${path}`));
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  await res.arrayBuffer();
}
const works = (await services.reads.models.current()).snapshot.works.size;
const after = usage();
const heap = after.heapMB - before.heapMB;
console.log(JSON.stringify({ works, heapMB: heap, heapBytesPerWork: Math.round((heap * 2 ** 20) / works), arrayBuffersMB: after.arrayBuffersMB, rssMB: after.rssMB }));
local.close();
