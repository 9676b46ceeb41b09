// Quick speed check of the WASM int8 top-k vs the plain-TS reference; prints one JSON line. Not a test.
// Usage: npx tsx wasm/bench/quick.ts [--n 100000] [--dim 512] [--k 10] [--queries 30]
import { ensureWasmBuilt } from "../src/build-for-tests.ts";
import { RowBitmap } from "../src/index.ts";
import { loadVectorCore } from "../src/load-node.ts";
import { randomRows, randomUnitFloat, randomUnitI8, rng } from "../src/random-vectors.ts";
import { ReferenceIndex } from "../src/reference.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const n = arg("n", 100_000), dim = arg("dim", 512), k = arg("k", 10), queries = arg("queries", 30);

// Wall-clock percentiles plus mean CPU time per call: the machine is shared, and CPU time leaves out
// the time we were descheduled, so it is the steadier figure.
interface Timing { times: number[]; cpuMs: number }
function stats({ times, cpuMs }: Timing): { p50_ms: number; p90_ms: number; cpu_ms: number } {
  const s = [...times].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const at = (p: number) => round(s[Math.min(s.length - 1, Math.floor(p * s.length))]!);
  return { p50_ms: at(0.5), p90_ms: at(0.9), cpu_ms: round(cpuMs) };
}
function time(runs: number, fn: (i: number) => unknown): Timing {
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn(i);
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  return { times, cpuMs: (cpu.user + cpu.system) / 1000 / runs };
}

ensureWasmBuilt();
const rand = rng(1);
const vectors = randomUnitI8(rand, n, dim);
const qs = Array.from({ length: queries }, () => randomUnitFloat(rand, dim));
const core = await loadVectorCore();
let t = performance.now();
const index = core.loadIndex(vectors, n, dim);
const loadMs = performance.now() - t;
const ref = new ReferenceIndex(vectors, n, dim);
const exclude = randomRows(rand, n, 0.1), allow = randomRows(rand, n, 0.5);
const liked = [1, 2, 3, 4, 5], disliked = [6, 7];

index.search(qs[0]!, k); // warm-up (JIT tiers up)
const wasm = stats(time(queries, (i) => index.search(qs[i]!, k)));
const wasmFiltered = stats(time(queries, (i) => index.search(qs[i]!, k, { exclude, allow })));
const exMap = RowBitmap.from(exclude, n), alMap = RowBitmap.from(allow, n);
const wasmBitmaps = stats(time(queries, (i) => index.search(qs[i]!, k, { exclude: exMap, allow: alMap })));
const wasmK1000 = stats(time(Math.min(queries, 10), (i) => index.search(qs[i]!, 1000)));
const wasmExamples = stats(time(queries, () => index.searchByExamples(liked, disliked, k)));
ref.search(qs[0]!, k);
const refRuns = Math.min(queries, 5);
const reference = stats(time(refRuns, (i) => ref.search(qs[i]!, k)));
// The reference sorts everything; also time its dot loop alone (the fair "plain TS scan" figure).
const q8 = new Int8Array(dim).fill(1);
const refScan = stats(time(refRuns, () => { let s = 0; for (let r = 0; r < n; r++) s += ref.dot(r, q8); return s; }));
const same = JSON.stringify(index.search(qs[1]!, k)) === JSON.stringify(ref.search(qs[1]!, k));

console.log(JSON.stringify({
  n, dim, k, queries,
  load_ms: Math.round(loadMs * 10) / 10,
  wasm_bytes: core.memoryBytes,
  wasm_topk: wasm,
  wasm_topk_filter_arrays: wasmFiltered,
  wasm_topk_filter_rowbitmaps: wasmBitmaps,
  wasm_top1000: wasmK1000,
  wasm_examples: wasmExamples,
  ts_reference_topk: reference,
  ts_scan_only: refScan,
  speedup_vs_ts_scan_cpu: Math.round((refScan.cpu_ms / wasm.cpu_ms) * 10) / 10,
  gbytes_per_s_cpu: Math.round(((n * dim) / (wasm.cpu_ms / 1000) / 1e9) * 10) / 10,
  agrees_with_reference: same,
}));
