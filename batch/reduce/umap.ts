// UMAP over a precomputed kNN graph (from usearch, batch/reduce/knn-graph.ts). Two engines:
//  - "umap-js": umap-js 1.4.0 itself, fed the graph through setPrecomputedKNN.
//  - "typed" (default): the same algorithm as umap-js (smooth kNN distances, fuzzy union,
//    epochs-per-sample SGD with negative sampling, a/b from umap-js's own findABParams) on flat
//    typed arrays. umap-js's sparse matrices are string-keyed Maps and its embedding is
//    number[][], which makes 100k rows take far longer than minutes on two cores.
// Both are seeded. Output coordinates are scaled into [0, 1] per axis.
import { UMAP } from "umap-js";
// findABParams is exported by umap-js's module but not re-exported by its index.
import { findABParams } from "umap-js/dist/umap.js";
import { mulberry32 } from "../random/prng.ts";
import { graphToArrays, type KnnGraph } from "./knn-graph.ts";

export type UmapEngine = "typed" | "umap-js";

export interface UmapOptions {
  dims: number;
  minDist: number;
  seed: number;
  spread?: number;
  /** Default as umap-js: 500 below 10k rows, else 200. */
  epochs?: number;
  engine?: UmapEngine;
  /** Start from these coordinates (rows × dims, any scale) instead of random ones. */
  init?: Float32Array;
  onEpoch?: (epoch: number, total: number) => void;
}

export function defaultEpochs(rows: number): number {
  return rows > 10000 ? 200 : 500;
}

export function umapFromGraph(rows: number, graph: KnnGraph, o: UmapOptions): Float32Array {
  if (rows <= graph.k) throw new Error(`UMAP needs more rows (${rows}) than neighbours (${graph.k})`);
  if ((o.engine ?? "typed") === "umap-js") {
    const umap = new UMAP({ nComponents: o.dims, nNeighbors: graph.k, minDist: o.minDist, spread: o.spread ?? 1, random: mulberry32(o.seed), ...(o.epochs ? { nEpochs: o.epochs } : {}) });
    const arrays = graphToArrays(graph);
    umap.setPrecomputedKNN(arrays.indices, arrays.distances);
    // umap-js only reads X's length once the kNN graph is given: empty rows keep memory small.
    const total = umap.initializeFit(Array.from({ length: rows }, () => []));
    for (let e = 0; e < total; e++) (umap.step(), o.onEpoch?.(e + 1, total));
    return normalise(flatten(umap.getEmbedding(), o.dims), rows, o.dims);
  }
  return normalise(typedUmap(rows, graph, o), rows, o.dims);
}

/** Fuzzy simplicial set as an edge list (each pair once), umap-learn's smooth_knn_dist + fuzzy union. */
export function fuzzyGraph(rows: number, graph: KnnGraph): { head: Uint32Array; tail: Uint32Array; weight: Float32Array } {
  const k = graph.k;
  const target = Math.log2(k);
  const w = new Float32Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const o = i * k;
    let rho = 0;
    for (let j = 0; j < k; j++) if (graph.distances[o + j]! > 0) {
      rho = graph.distances[o + j]!;
      break;
    }
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < 64; it++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = graph.distances[o + j]! - rho;
        psum += d > 0 ? Math.exp(-d / mid) : 1;
      }
      if (Math.abs(psum - target) < 1e-5) break;
      if (psum > target) (hi = mid), (mid = (lo + hi) / 2);
      else (lo = mid), (mid = hi === Infinity ? mid * 2 : (lo + hi) / 2);
    }
    let mean = 0;
    for (let j = 0; j < k; j++) mean += graph.distances[o + j]!;
    mean /= k;
    const sigma = Math.max(mid, 1e-3 * (mean || 1));
    for (let j = 0; j < k; j++) {
      const c = graph.indices[o + j]!;
      // Self and repeated padding entries carry no edge.
      if (c === i || (j > 0 && c === graph.indices[o + j - 1])) continue;
      const d = graph.distances[o + j]! - rho;
      w[o + j] = d <= 0 ? 1 : Math.exp(-d / sigma);
    }
  }
  // Union over both directions, w = a + b − a·b; the reverse edge is found by scanning row j (k entries).
  const head: number[] = [];
  const tail: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < k; j++) {
      const a = w[i * k + j]!;
      if (a === 0) continue;
      const c = graph.indices[i * k + j]!;
      let b = 0;
      for (let x = 0; x < k; x++) if (graph.indices[c * k + x] === i) {
        b = w[c * k + x]!;
        break;
      }
      if (b > 0 && c < i) continue; // counted from c's side
      head.push(i), tail.push(c), weight.push(a + b - a * b);
    }
  return { head: Uint32Array.from(head), tail: Uint32Array.from(tail), weight: Float32Array.from(weight) };
}

export function typedUmap(rows: number, graph: KnnGraph, o: Omit<UmapOptions, "engine">): Float32Array {
  const dims = o.dims;
  const nEpochs = o.epochs ?? defaultEpochs(rows);
  const random = mulberry32(o.seed);
  const { a, b } = findABParams(o.spread ?? 1, o.minDist);
  const g = fuzzyGraph(rows, graph);
  let wmax = 0;
  for (const w of g.weight) wmax = Math.max(wmax, w);
  // Edges too weak to be sampled even once are dropped, as in umap-js.
  const keep: number[] = [];
  for (let e = 0; e < g.weight.length; e++) if (g.weight[e]! >= wmax / nEpochs) keep.push(e);
  const E = keep.length;
  const head = new Uint32Array(E);
  const tail = new Uint32Array(E);
  const eps = new Float64Array(E);
  keep.forEach((e, i) => ((head[i] = g.head[e]!), (tail[i] = g.tail[e]!), (eps[i] = wmax / g.weight[e]!)));
  const negRate = 5;
  const epsNeg = new Float64Array(E);
  const nextSample = new Float64Array(E);
  const nextNeg = new Float64Array(E);
  for (let i = 0; i < E; i++) (epsNeg[i] = eps[i]! / negRate), (nextSample[i] = eps[i]!), (nextNeg[i] = epsNeg[i]!);

  const y = new Float32Array(rows * dims);
  if (o.init && o.init.length === rows * dims) {
    // Rescale the start to umap's usual ±10 box.
    for (let d = 0; d < dims; d++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < rows; i++) (lo = Math.min(lo, o.init[i * dims + d]!)), (hi = Math.max(hi, o.init[i * dims + d]!));
      for (let i = 0; i < rows; i++) y[i * dims + d] = ((o.init[i * dims + d]! - lo) / (hi - lo || 1)) * 20 - 10;
    }
  } else for (let i = 0; i < y.length; i++) y[i] = random() * 20 - 10;

  const clip = (v: number) => (v > 4 ? 4 : v < -4 ? -4 : v);
  const ab2 = -2 * a * b;
  const b2g = 2 * b; // 2·gamma·b with gamma = 1
  // Work in f64 (faster arithmetic in V8 than converting f32 on every access).
  const y64 = Float64Array.from(y);
  for (let n = 0; n < nEpochs; n++) {
    const alpha = 1 - n / nEpochs;
    if (dims === 2) epoch2(n, alpha);
    else
      for (let i = 0; i < E; i++) {
        if (nextSample[i]! > n) continue;
        const j = head[i]! * dims;
        const k = tail[i]! * dims;
        let d2 = 0;
        for (let d = 0; d < dims; d++) {
          const t = y64[j + d]! - y64[k + d]!;
          d2 += t * t;
        }
        let gc = 0;
        if (d2 > 0) {
          const pb = Math.pow(d2, b);
          gc = (ab2 * pb) / d2 / (a * pb + 1);
        }
        for (let d = 0; d < dims; d++) {
          const gd = clip(gc * (y64[j + d]! - y64[k + d]!)) * alpha;
          y64[j + d]! += gd;
          y64[k + d]! -= gd;
        }
        nextSample[i]! += eps[i]!;
        const negs = Math.floor((n - nextNeg[i]!) / epsNeg[i]!);
        for (let p = 0; p < negs; p++) {
          const m = Math.floor(random() * rows) * dims;
          if (m === j) continue;
          let e2 = 0;
          for (let d = 0; d < dims; d++) {
            const t = y64[j + d]! - y64[m + d]!;
            e2 += t * t;
          }
          const gcn = e2 > 0 ? b2g / ((0.001 + e2) * (a * Math.pow(e2, b) + 1)) : 0;
          for (let d = 0; d < dims; d++) y64[j + d]! += (gcn > 0 ? clip(gcn * (y64[j + d]! - y64[m + d]!)) : 4) * alpha;
        }
        nextNeg[i]! += negs * epsNeg[i]!;
      }
    o.onEpoch?.(n + 1, nEpochs);
  }
  /** The 2-d case unrolled (the collection map; most of reduce's time). Same arithmetic as above. */
  function epoch2(n: number, alpha: number): void {
    for (let i = 0; i < E; i++) {
      if (nextSample[i]! > n) continue;
      const j = head[i]! * 2;
      const k = tail[i]! * 2;
      let yj0 = y64[j]!;
      let yj1 = y64[j + 1]!;
      const dx = yj0 - y64[k]!;
      const dy = yj1 - y64[k + 1]!;
      const d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const pb = Math.pow(d2, b);
        const gc = (ab2 * pb) / d2 / (a * pb + 1);
        let g0 = gc * dx;
        let g1 = gc * dy;
        g0 = (g0 > 4 ? 4 : g0 < -4 ? -4 : g0) * alpha;
        g1 = (g1 > 4 ? 4 : g1 < -4 ? -4 : g1) * alpha;
        yj0 += g0;
        yj1 += g1;
        y64[k]! -= g0;
        y64[k + 1]! -= g1;
      } else {
        // gc = 0: clip(0)·alpha moves nothing
      }
      nextSample[i]! += eps[i]!;
      const negs = Math.floor((n - nextNeg[i]!) / epsNeg[i]!);
      for (let p = 0; p < negs; p++) {
        const m = Math.floor(random() * rows) * 2;
        if (m === j) continue;
        const ex = yj0 - y64[m]!;
        const ey = yj1 - y64[m + 1]!;
        const e2 = ex * ex + ey * ey;
        if (e2 > 0) {
          const gcn = b2g / ((0.001 + e2) * (a * Math.pow(e2, b) + 1));
          const g0 = gcn * ex;
          const g1 = gcn * ey;
          yj0 += (g0 > 4 ? 4 : g0 < -4 ? -4 : g0) * alpha;
          yj1 += (g1 > 4 ? 4 : g1 < -4 ? -4 : g1) * alpha;
        } else {
          yj0 += 4 * alpha;
          yj1 += 4 * alpha;
        }
      }
      y64[j] = yj0;
      y64[j + 1] = yj1;
      nextNeg[i]! += negs * epsNeg[i]!;
    }
  }
  for (let i = 0; i < y.length; i++) y[i] = y64[i]!;
  return y;
}

function flatten(points: number[][], dims: number): Float32Array {
  const out = new Float32Array(points.length * dims);
  points.forEach((p, i) => out.set(p.slice(0, dims), i * dims));
  return out;
}

export function normalise(y: Float32Array, rows: number, dims: number): Float32Array {
  const out = new Float32Array(rows * dims);
  for (let d = 0; d < dims; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < rows; i++) (lo = Math.min(lo, y[i * dims + d]!)), (hi = Math.max(hi, y[i * dims + d]!));
    const span = hi - lo || 1;
    for (let i = 0; i < rows; i++) out[i * dims + d] = (y[i * dims + d]! - lo) / span;
  }
  return out;
}
