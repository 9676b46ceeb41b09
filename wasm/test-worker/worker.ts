// Test Worker for wasm/src/workerd.test.ts: the vector core on real workerd. vector.wasm arrives as a
// compiled module import; index files live in R2 (the compact tier and the rerank tier are both read by
// byte ranges through common/bucket/r2.ts) — streamed into WASM memory / read per query.
import wasm from "../build/vector.wasm";
import { R2Bucket, type R2BindingLike } from "../../common/bucket/r2.ts";
import { createVectorCore, type VectorCore } from "../src/index.ts";
import { bucketRangeReader } from "../src/rerank-source.ts";
import { crossRuntimeTiered } from "../src/tiered-cases.ts";
import { loadTieredIndex, type TieredIndex } from "../src/tiered-index.ts";

interface Env { BUCKET: R2BindingLike }

let core: VectorCore | undefined;
let index: TieredIndex | undefined;
const uploads = new Map<string, Uint8Array[]>();

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const url = new URL(req.url);
    const bucket = new R2Bucket(env.BUCKET, "BUCKET");
    core ??= await createVectorCore(wasm);
    try {
      if (req.method === "PUT" && url.pathname.startsWith("/put/")) {
        // Uploaded in parts (big single request bodies through the dev proxy were flaky); put when complete.
        const key = url.pathname.slice(5);
        const part = Number(url.searchParams.get("part") ?? 0), of = Number(url.searchParams.get("of") ?? 1);
        const parts = uploads.get(key) ?? new Array<Uint8Array>(of);
        parts[part] = new Uint8Array(await req.arrayBuffer());
        uploads.set(key, parts);
        if (parts.filter(Boolean).length < of) return Response.json({ ok: true, pending: true });
        uploads.delete(key);
        const whole = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
        let at = 0;
        for (const p of parts) { whole.set(p, at); at += p.byteLength; }
        await bucket.put(key, whole);
        return Response.json({ ok: true, bytes: whole.byteLength });
      }
      if (url.pathname === "/cases") return Response.json(await crossRuntimeTiered(await createVectorCore(wasm)));
      if (url.pathname === "/load") {
        const prefix = url.searchParams.get("prefix") ?? "";
        const tier = await bucket.head(`${prefix}ivf-rabitq.bin`);
        const head = await bucket.head(`${prefix}rerank.bin`);
        if (!tier || !head) return Response.json({ error: "index files missing" }, { status: 404 });
        index?.dispose();
        const t0 = Date.now();
        // Both tiers by ranges: the compact one is streamed into WASM memory, the rerank one stays in R2.
        index = await loadTieredIndex(core, {
          "ivf-rabitq.bin": bucketRangeReader(bucket, `${prefix}ivf-rabitq.bin`, tier.size),
          "rerank.bin": bucketRangeReader(bucket, `${prefix}rerank.bin`, head.size),
        });
        return Response.json({ count: index.count, nlist: index.nlist, residentBytes: index.residentBytes, wasmMemoryBytes: core.memoryBytes, loadMs: Date.now() - t0 });
      }
      if (url.pathname === "/search" && req.method === "POST") {
        if (!index) return Response.json({ error: "no index loaded" }, { status: 409 });
        const dim = index.dim;
        const queries = new Float32Array(await req.arrayBuffer());
        const k = Number(url.searchParams.get("k") ?? 10);
        const hits = [];
        for (let q = 0; q * dim < queries.length; q++) hits.push(await index.search(queries.subarray(q * dim, (q + 1) * dim), k));
        const liked = [1, 2, 3], disliked = [4];
        const examples = await index.searchByExamples(liked, disliked, k);
        const interests = await index.searchByInterests([10, 11, 5000, 5001], [], k);
        return Response.json({ hits, examples, interests, wasmMemoryBytes: core.memoryBytes });
      }
      return new Response("not found", { status: 404 });
    } catch (err) {
      return Response.json({ error: String(err), name: (err as Error).name }, { status: 500 });
    }
  },
};
