// The vector core on real workerd (wrangler's unstable_startWorker, local R2): the seeded cross-runtime
// cases agree with the reference and with Node; then a 100k-work index is uploaded to R2, loaded by the
// Worker (compact tier in WASM memory, rerank tier by R2 byte ranges) and answers like Node does,
// with WASM memory far under the 128 MB Workers limit.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { buildIndexFiles } from "./build-index.ts";
import { ensureWasmBuilt } from "./build-for-tests.ts";
import { clusteredRows, clusteredSpec } from "./clustered-data.ts";
import { loadVectorCore } from "./load-node.ts";
import { crossRuntimeTiered } from "./tiered-cases.ts";
import { loadTieredIndex } from "./tiered-index.ts";

process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
const here = fileURLToPath(new URL(".", import.meta.url));
const WORKERS_MEMORY_LIMIT = 128 * 2 ** 20;

type StartedWorker = { ready: Promise<void>; url: Promise<URL>; dispose(): Promise<void> };
let worker: StartedWorker;
let base: string;
let state: string;

before(async () => {
  ensureWasmBuilt();
  state = mkdtempSync(join(tmpdir(), "vector-workerd-"));
  const { unstable_startWorker } = await import("wrangler");
  worker = (await unstable_startWorker({
    config: join(here, "../test-worker/wrangler.jsonc"),
    entrypoint: join(here, "../test-worker/worker.ts"),
    compatibilityDate: "2026-04-26",
    bindings: { BUCKET: { type: "r2_bucket", bucket_name: "vector-test" } },
    dev: { persist: state, server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, logLevel: "warn" },
  } as never)) as unknown as StartedWorker;
  await worker.ready;
  base = (await worker.url).origin;
});

after(async () => {
  await worker?.dispose();
  if (state) rmSync(state, { recursive: true, force: true });
});

/** PUT in 4 MB parts, each retried once: one huge request body through the dev proxy was flaky. */
async function upload(key: string, bytes: Uint8Array): Promise<void> {
  const PART = 4 * 2 ** 20;
  const of = Math.max(1, Math.ceil(bytes.byteLength / PART));
  for (let part = 0; part < of; part++) {
    const body = bytes.slice(part * PART, (part + 1) * PART);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${base}/put/${key}?part=${part}&of=${of}`, { method: "PUT", body });
        assert.equal(res.status, 200, await res.text());
        break;
      } catch (err) {
        if (attempt >= 1) throw err;
      }
    }
  }
}

test("workerd: tiered index cases agree with the reference and with Node", async () => {
  const res = await fetch(`${base}/cases`);
  const fromWorker = (await res.json()) as { problems: string[]; results: unknown[]; tierBytes: number[] };
  assert.equal(res.status, 200, JSON.stringify(fromWorker));
  assert.deepEqual(fromWorker.problems, []);
  const fromNode = await crossRuntimeTiered(await loadVectorCore());
  assert.deepEqual(fromWorker.tierBytes, fromNode.tierBytes);
  assert.deepEqual(fromWorker.results, fromNode.results);
});

test("workerd: a 100k-work index from R2 answers like Node within the memory limit", async () => {
  const n = 100_000, dim = 512;
  const spec = clusteredSpec(n, dim, 21);
  const data = clusteredRows(spec, n, 1);
  const queries = clusteredRows(spec, 5, 2);
  const core = await loadVectorCore();
  const { files } = await buildIndexFiles(data, n, dim, { core, seed: 4, rerank: "i8s", iterations: 4 });
  for (const name of ["ivf-rabitq.bin", "rerank.bin"]) await upload(`v1/${name}`, files[name]!);
  const load = await fetch(`${base}/load?prefix=v1/`);
  const loaded = (await load.json()) as { count: number; residentBytes: number; wasmMemoryBytes: number };
  assert.equal(load.status, 200, JSON.stringify(loaded));
  assert.equal(loaded.count, n);
  assert.ok(loaded.residentBytes / n <= 100, `${loaded.residentBytes / n} resident bytes per work`);
  assert.ok(loaded.wasmMemoryBytes < WORKERS_MEMORY_LIMIT / 4, `WASM memory ${loaded.wasmMemoryBytes}`);

  const res = await fetch(`${base}/search?k=10`, { method: "POST", body: new Uint8Array(queries.buffer as ArrayBuffer) });
  const fromWorker = (await res.json()) as { hits: unknown[]; examples: unknown; interests: unknown; wasmMemoryBytes: number };
  assert.equal(res.status, 200, JSON.stringify(fromWorker));
  assert.ok(fromWorker.wasmMemoryBytes < WORKERS_MEMORY_LIMIT / 4);
  const local = await loadTieredIndex(core, { "ivf-rabitq.bin": files["ivf-rabitq.bin"]!, "rerank.bin": files["rerank.bin"]! });
  const hits = [];
  for (let q = 0; q < 5; q++) hits.push(await local.search(queries.subarray(q * dim, (q + 1) * dim), 10));
  assert.deepEqual(fromWorker.hits, hits);
  assert.deepEqual(fromWorker.examples, await local.searchByExamples([1, 2, 3], [4], 10));
  assert.deepEqual(fromWorker.interests, await local.searchByInterests([10, 11, 5000, 5001], [], 10));
  for (const h of fromWorker.hits as Array<Array<{ score: number }>>) assert.ok(h.length === 10 && h[0]!.score > 0.5);
});
