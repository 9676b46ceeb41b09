// npm run bench:vector -- --n 100000 [--queries 200] [--nprobe P] [--candidates C] [--peers usearch_i8,usearch_f16,js_bruteforce]
// Two-tier WASM index (IVF + RaBitQ codes → int8 rerank) vs usearch HNSW (i8, f16) and a plain JS scan,
// on the same clustered synthetic 512-d data and queries, one query at a time on one thread.
// Recall@10 is against exact float32 cosine (usearch exactSearch). Last line: one JSON object.
import usearch from "usearch";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIndexFiles } from "../../wasm/src/build-index.ts";
import { clusteredRows, clusteredSpec } from "../../wasm/src/clustered-data.ts";
import { loadVectorCore } from "../../wasm/src/load-node.ts";
import { loadTieredIndex } from "../../wasm/src/tiered-index.ts";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i]!;
  if (a.startsWith("--")) args.set(a.slice(2), process.argv[i + 1]?.startsWith("--") ? "1" : (process.argv[++i] ?? "1"));
}
const n = Number(args.get("n") ?? 100_000);
const nq = Number(args.get("queries") ?? 200);
const dim = 512, K = 10;
const peers = (args.get("peers") ?? "usearch_i8,usearch_f16,js_bruteforce").split(",").filter(Boolean);
const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

const spec = clusteredSpec(n, dim, Number(args.get("seed") ?? 42));
let t = performance.now();
const data = clusteredRows(spec, n, 1);
const queries = clusteredRows(spec, nq, 2);
log(`data ${n} × ${dim} (${spec.clusters} clusters) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

t = performance.now();
const exact = usearch.exactSearch(data, queries, dim, K, usearch.MetricKind.Cos, 2);
const truth: Set<number>[] = [];
for (let q = 0; q < nq; q++) truth.push(new Set(Array.from(exact.keys.subarray(q * K, (q + 1) * K), Number)));
log(`exact float32 ground truth in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const recallOf = (q: number, rows: ArrayLike<number>) => {
  let hit = 0;
  for (let i = 0; i < Math.min(K, rows.length); i++) if (truth[q]!.has(rows[i]!)) hit++;
  return hit / K;
};
const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { p50_ms: round(at(0.5)), p99_ms: round(at(0.99)), mean_ms: round(s.reduce((a, b) => a + b, 0) / s.length) };
};
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

// ---- ours ----
const core = await loadVectorCore();
t = performance.now();
const built = await buildIndexFiles(data, n, dim, { core, seed: 1, rerank: (args.get("rerank") ?? "f16") as "f16" | "i8s", onProgress: (s, d, tot) => { if (s !== "encode" || d === tot) log(`${s} ${d}/${tot}`); } });
const buildSeconds = (performance.now() - t) / 1000;
log(`built tiered index in ${buildSeconds.toFixed(1)} s: ${JSON.stringify(built.meta.bytes)}`);
const index = await loadTieredIndex(core, { "ivf-rabitq.bin": built.files["ivf-rabitq.bin"]!, "rerank.bin": built.files["rerank.bin"]! });
const defaults = { nprobe: Number(args.get("nprobe") ?? 0) || undefined, candidates: Number(args.get("candidates") ?? 0) || undefined };

async function runOurs(opts: { nprobe?: number; candidates?: number }) {
  for (let q = 0; q < Math.min(20, nq); q++) await index.search(queries.subarray(q * dim, (q + 1) * dim), K, opts); // warm-up
  const ms: number[] = [], cpu: number[] = [];
  let recall = 0;
  for (let q = 0; q < nq; q++) {
    const query = queries.subarray(q * dim, (q + 1) * dim);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const hits = await index.search(query, K, opts);
    ms.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
    recall += recallOf(q, hits.map((h) => h.row));
  }
  return { recall_at_10: round(recall / nq, 4), ...stats(ms), cpu_p50_ms: stats(cpu).p50_ms, cpu_p99_ms: stats(cpu).p99_ms };
}

const main = await runOurs(defaults);
log(`ours ${JSON.stringify(main)}`);
const sweep: unknown[] = [];
if (args.has("sweep")) {
  for (const [nprobe, candidates] of [[4, 50], [8, 100], [16, 100], [16, 200], [32, 200], [64, 400]] as const) {
    const r = { nprobe, candidates, ...(await runOurs({ nprobe, candidates })) };
    log(`sweep ${JSON.stringify(r)}`);
    sweep.push(r);
  }
}
// Exact rerank of everything = the ceiling the rerank tier's precision allows (on a few queries).
let int8Ceiling: number | null = null;
if (n <= 200_000) {
  int8Ceiling = 0;
  const qn = Math.min(nq, 20);
  for (let q = 0; q < qn; q++) {
    const hits = await index.search(queries.subarray(q * dim, (q + 1) * dim), K, { nprobe: index.nlist, candidates: n });
    int8Ceiling += recallOf(q, hits.map((h) => h.row));
  }
  int8Ceiling = round(int8Ceiling / qn, 4);
  log(`rerank of all rows (ceiling) recall ${int8Ceiling} on ${qn} queries`);
}

// ---- peers ----
const peerResults: Record<string, unknown> = {};
const keys = new BigUint64Array(n);
for (let i = 0; i < n; i++) keys[i] = BigInt(i);
const tmp = mkdtempSync(join(tmpdir(), "vector-bench-"));
try {
  for (const quant of ["i8", "f16"] as const) {
    const name = `usearch_${quant}`;
    if (!peers.includes(name)) continue;
    t = performance.now();
    const ix = new usearch.Index({ dimensions: dim, metric: usearch.MetricKind.Cos, quantization: quant === "i8" ? usearch.ScalarKind.I8 : usearch.ScalarKind.F16, connectivity: 16, expansion_add: 128, expansion_search: 64, multi: false });
    ix.add(keys, data, 2);
    const build = (performance.now() - t) / 1000;
    const file = join(tmp, `${name}.usearch`);
    ix.save(file);
    const bytes = statSync(file).size;
    rmSync(file);
    const points: Record<string, unknown> = {};
    for (const kk of [10, 100]) {
      for (let q = 0; q < Math.min(20, nq); q++) ix.search(queries.subarray(q * dim, (q + 1) * dim), kk, 1);
      const ms: number[] = [], cpu: number[] = [];
      let recall = 0;
      for (let q = 0; q < nq; q++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const res = ix.search(queries.subarray(q * dim, (q + 1) * dim), kk, 1);
        ms.push(performance.now() - t0);
        const c1 = process.cpuUsage(c0);
        cpu.push((c1.user + c1.system) / 1000);
        recall += recallOf(q, Array.from(res.keys.subarray(0, K), Number));
      }
      points[`ef${Math.max(64, kk)}`] = { recall_at_10: round(recall / nq, 4), ...stats(ms), cpu_p50_ms: stats(cpu).p50_ms };
    }
    const first = points.ef64 as Record<string, number>;
    peerResults[name] = { ...first, bytes_per_item: round(bytes / n, 1), build_s: round(build, 1), build_threads: 2, connectivity: 16, points };
    log(`${name} ${JSON.stringify(peerResults[name])}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (peers.includes("js_bruteforce")) {
  const inv = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = i * dim; d < (i + 1) * dim; d++) s += data[d]! * data[d]!;
    inv[i] = 1 / Math.sqrt(s);
  }
  const bq = Math.min(nq, Number(args.get("bf-queries") ?? (n > 200_000 ? 10 : 30)));
  const ms: number[] = [];
  let recall = 0;
  for (let q = 0; q < bq; q++) {
    const query = queries.subarray(q * dim, (q + 1) * dim);
    const t0 = performance.now();
    const best: Array<[number, number]> = [];
    let worst = -Infinity;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const base = i * dim;
      for (let d = 0; d < dim; d++) s += data[base + d]! * query[d]!;
      s *= inv[i]!;
      if (best.length < K || s > worst) {
        best.push([s, i]);
        best.sort((a, b) => b[0] - a[0]);
        if (best.length > K) best.pop();
        worst = best[best.length - 1]![0];
      }
    }
    ms.push(performance.now() - t0);
    recall += recallOf(q, best.map((b) => b[1]));
  }
  peerResults.js_bruteforce = { recall_at_10: round(recall / bq, 4), ...stats(ms), queries: bq, bytes_per_item: dim * 4 + 4 };
  log(`js_bruteforce ${JSON.stringify(peerResults.js_bruteforce)}`);
}

const mem = process.memoryUsage();
console.log(JSON.stringify({
  n, dim, k: K, queries: nq, data: `clustered synthetic (${spec.clusters} clusters × 8 sub-clusters, seed ${spec.seed})`,
  index: "ivf-rabitq + rerank tier", nlist: index.nlist, ...main,
  bytes_per_item: round(index.residentBytes / n, 1),
  rerank_tier: built.meta.rerank, rerank_tier_bytes_per_item: round(built.meta.bytes["rerank.bin"]! / n, 1),
  build_s: round(buildSeconds, 1), rerank_ceiling_recall_at_10: int8Ceiling,
  options: { nprobe: defaults.nprobe ?? "default", candidates: defaults.candidates ?? "default" },
  sweep, peers: peerResults,
  process_rss_mb: Math.round(mem.rss / 2 ** 20),
}));
index.dispose();
