// Reduce stage. Input: the merged feature matrix. Output: UMAP coordinates in 2-d (the collection
// map, map.f32) and in a low dimension for clustering (low.f32), both in [0, 1] per axis, from a
// usearch kNN graph. Incremental: when few works were added or removed since the last output,
// kept works keep their coordinates and new ones are placed at the weighted mean of their nearest
// kept neighbours (UMAP's own transform start), so the map stays stable and the rerun is cheap.
import { z } from "zod";
import { ELEMENT, MAGIC, decodeBinary, encodeBinary } from "../../common/artifacts/format.ts";
import type { Bucket } from "../../common/bucket/types.ts";
import { defineStage } from "../pipeline-stage.ts";
import { hashInputs, latestDone, markLatest, readDone, readStageFile, writeStageOutput, type StageDone } from "../pipeline-outputs.ts";
import type { StageContext } from "../pipeline-stage.ts";
import { I8_SCALE } from "../../common/artifacts/format.ts";
import { readNeighboursOutput } from "../features/neighbours.ts";
import { createProgress } from "../progress.ts";
import { currentMatrix } from "../shard/merge.ts";
import type { FeatureMatrix } from "../features/store.ts";
import { knnGraph, knnGraphFromNeighbours, type KnnGraph } from "./knn-graph.ts";
import { pcaProject } from "./pca.ts";
import { umapFromGraph } from "./umap.ts";
import { umapInWorker } from "./parallel.ts";

export const ReduceParams = z
  .object({
    graphK: z.number().int().min(2).max(200).default(15),
    mapDims: z.number().int().min(2).max(3).default(2),
    clusterDims: z.number().int().min(2).max(64).default(8),
    minDist: z.number().min(0).max(1).default(0.1),
    seed: z.number().int().default(42),
    engine: z.enum(["typed", "umap-js"]).default("typed"),
    epochs: z.number().int().min(1).max(5000).optional(),
    /** Epochs of the low-dimensional (clustering) layout; default = epochs. */
    clusterEpochs: z.number().int().min(1).max(5000).optional(),
    /** Run the two layouts in two worker threads (typed engine, ≥ 5k rows). */
    parallel: z.boolean().default(true),
    /** Refit from scratch when more than this fraction of rows changed since the last output. */
    refitFraction: z.number().min(0).max(1).default(0.05),
    threads: z.number().int().min(0).max(64).default(2),
    /** "neighbours": the kNN graph from the neighbours stage's table when the reduce stage needs it
     *  and its output matches the matrix, else a usearch index; "usearch": always a usearch index. */
    graphFrom: z.enum(["neighbours", "usearch"]).default("neighbours"),
  })
  .strict();
export type ReduceParams = z.infer<typeof ReduceParams>;

export interface Reduced {
  rows: number;
  ids: Uint32Array;
  map: Float32Array;
  mapDims: number;
  low: Float32Array;
  lowDims: number;
}

export function encodeReduced(r: Reduced): Record<string, Uint8Array> {
  const f32 = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return {
    "ids.u32": encodeBinary({ magic: MAGIC.ids, element: ELEMENT.u32, rows: r.rows, cols: 1, scale: 1 }, new Uint8Array(r.ids.buffer, r.ids.byteOffset, r.ids.byteLength)),
    "map.f32": encodeBinary({ magic: MAGIC.map, element: ELEMENT.f32, rows: r.rows, cols: r.mapDims, scale: 1 }, f32(r.map)),
    "low.f32": encodeBinary({ magic: MAGIC.floatVectors, element: ELEMENT.f32, rows: r.rows, cols: r.lowDims, scale: 1 }, f32(r.low)),
  };
}

export async function readReduced(bucket: Bucket, done: StageDone): Promise<Reduced> {
  const ids = decodeBinary(await readStageFile(bucket, done, "ids.u32"), MAGIC.ids);
  const map = decodeBinary(await readStageFile(bucket, done, "map.f32"), MAGIC.map);
  const low = decodeBinary(await readStageFile(bucket, done, "low.f32"), MAGIC.floatVectors);
  return { rows: ids.header.rows, ids: new Uint32Array(ids.payload.slice().buffer), map: new Float32Array(map.payload.slice().buffer), mapDims: map.header.cols, low: new Float32Array(low.payload.slice().buffer), lowDims: low.header.cols };
}

/** Full fit: usearch kNN graph, PCA start, UMAP to both dimensions (in parallel worker threads when `parallel`). */
export async function fitReduce(m: FeatureMatrix, p: ReduceParams, onEpoch?: (label: string, e: number, total: number) => void, graph?: KnnGraph): Promise<Reduced> {
  const rows = m.ids.length;
  const g = graph ?? knnGraph(m.vectors, m.dim, rows, Math.min(p.graphK, Math.max(1, rows - 1)), p.threads);
  const fit = async (dims: number, label: string, epochs: number | undefined): Promise<Float32Array> => {
    if (rows <= g.k + 1) return tinyLayout(m, rows, dims); // too few works for UMAP: PCA alone
    const init = p.engine === "typed" ? pcaProject(m.vectors, rows, m.dim, dims, p.seed) : undefined;
    const o = { dims, minDist: p.minDist, seed: p.seed + dims, ...(epochs ? { epochs } : {}), ...(init ? { init } : {}), onEpoch: (e: number, t: number) => onEpoch?.(label, e, t) };
    if (p.engine === "typed" && p.parallel && rows >= 5000) return umapInWorker(rows, g, o);
    return umapFromGraph(rows, g, { ...o, engine: p.engine });
  };
  const lowEpochs = p.clusterEpochs ?? p.epochs;
  const [map, low] = await Promise.all([fit(p.mapDims, "map", p.epochs), fit(p.clusterDims, "low", lowEpochs)]);
  return { rows, ids: m.ids.slice(), map, mapDims: p.mapDims, low, lowDims: p.clusterDims };
}

function tinyLayout(m: FeatureMatrix, rows: number, dims: number): Float32Array {
  const y = rows > 1 ? pcaProject(m.vectors, rows, m.dim, dims) : new Float32Array(rows * dims);
  const out = new Float32Array(rows * dims);
  for (let d = 0; d < dims; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < rows; i++) (lo = Math.min(lo, y[i * dims + d]!)), (hi = Math.max(hi, y[i * dims + d]!));
    for (let i = 0; i < rows; i++) out[i * dims + d] = hi > lo ? (y[i * dims + d]! - lo) / (hi - lo) : 0.5;
  }
  return out;
}

/**
 * Incremental update: rows of `prev` that still exist keep their coordinates; new rows go to the
 * similarity-weighted mean of their nearest kept rows. Null when too much changed (refit instead).
 */
export function placeIncrementally(m: FeatureMatrix, prev: Reduced, p: ReduceParams): { reduced: Reduced; placed: number; changed: number } | null {
  const rows = m.ids.length;
  const prevRow = new Map<number, number>();
  prev.ids.forEach((id, r) => prevRow.set(id, r));
  let kept = 0;
  for (const id of m.ids) if (prevRow.has(id)) kept++;
  const added = rows - kept;
  const removed = prev.rows - kept;
  if (prev.mapDims !== p.mapDims || prev.lowDims !== p.clusterDims || kept === 0 || (added + removed) / Math.max(1, rows) > p.refitFraction) return null;
  const map = new Float32Array(rows * p.mapDims);
  const low = new Float32Array(rows * p.clusterDims);
  const newRows: number[] = [];
  m.ids.forEach((id, r) => {
    const o = prevRow.get(id);
    if (o === undefined) return void newRows.push(r);
    map.set(prev.map.subarray(o * p.mapDims, (o + 1) * p.mapDims), r * p.mapDims);
    low.set(prev.low.subarray(o * p.clusterDims, (o + 1) * p.clusterDims), r * p.clusterDims);
  });
  if (newRows.length) {
    const isNew = new Uint8Array(rows);
    for (const r of newRows) isNew[r] = 1;
    // Candidates among kept rows: brute force over the new rows only (they are few by construction).
    const k = Math.min(p.graphK, kept);
    for (const r of newRows) {
      const best: Array<[number, number]> = [];
      for (let c = 0; c < rows; c++) {
        if (isNew[c]) continue;
        let s = 0;
        for (let d = 0; d < m.dim; d++) s += m.vectors[r * m.dim + d]! * m.vectors[c * m.dim + d]!;
        if (best.length < k || s > best[best.length - 1]![0]) {
          best.push([s, c]);
          best.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
          if (best.length > k) best.pop();
        }
      }
      let wsum = 0;
      const acc = (out: Float32Array, dims: number) => {
        for (let d = 0; d < dims; d++) out[r * dims + d] = 0;
        for (const [s, c] of best) for (let d = 0; d < dims; d++) out[r * dims + d]! += Math.max(1e-3, s) * out[c * dims + d]!;
      };
      for (const [s] of best) wsum += Math.max(1e-3, s);
      acc(map, p.mapDims);
      acc(low, p.clusterDims);
      for (let d = 0; d < p.mapDims; d++) map[r * p.mapDims + d]! /= wsum;
      for (let d = 0; d < p.clusterDims; d++) low[r * p.clusterDims + d]! /= wsum;
    }
  }
  return { reduced: { rows, ids: m.ids.slice(), map, mapDims: p.mapDims, low, lowDims: p.clusterDims }, placed: newRows.length, changed: added + removed };
}

/**
 * The latest output of the neighbours stage this reduce stage needs (by module, as export does),
 * when it was built from this very matrix; null otherwise (then fitReduce builds a usearch graph).
 */
export async function neighboursGraphInput(ctx: StageContext, stage: string, matrixHash: string, rows: number): Promise<StageDone | null> {
  for (const need of ctx.pipeline.stages[stage]?.needs ?? []) {
    if ((ctx.pipeline.stages[need]?.module ?? need) !== "neighbours") continue;
    const done = await latestDone(ctx.bucket, need);
    if (done && done.meta.matrix === matrixHash && Number(done.meta.rows) === rows) return done;
  }
  return null;
}

/** Decodes a neighbours output into the UMAP graph (first graphK − 1 neighbours + self). */
export async function graphFromNeighboursOutput(bucket: Bucket, done: StageDone, rows: number, graphK: number): Promise<KnnGraph> {
  const nn = await readNeighboursOutput(bucket, done, rows);
  const index = new Uint32Array(decodeBinary(nn.index, MAGIC.neighbours).payload.slice().buffer);
  const score = new Int8Array(decodeBinary(nn.scores, MAGIC.neighbourScores).payload.slice().buffer);
  return knnGraphFromNeighbours({ rows, k: nn.k, index, score }, graphK, I8_SCALE);
}

export const reduceStage = defineStage({
  module: "reduce",
  inputs: ["stages/embed-merge (feature matrix)", "stages/neighbours LATEST (kNN graph, when needed)", "stages/reduce LATEST (for incremental placement)"],
  outputs: ["stages/reduce/<hash>/{ids.u32, map.f32, low.f32}"],
  params: ReduceParams,
  async run(ctx, p, stage) {
    const t0 = Date.now();
    const log = ctx.log.child({ stage });
    const m = await currentMatrix(ctx, stage);
    const { threads: _t, parallel: _p, ...hashed } = p;
    const nnDone = p.graphFrom === "neighbours" ? await neighboursGraphInput(ctx, stage, m.inputHash, m.ids.length) : null;
    const prevDone = await latestDone(ctx.bucket, stage);
    // Earlier layouts count only when made with the same parameters from the same embedder's vectors.
    const sameParams = prevDone?.meta.params === JSON.stringify(hashed) && prevDone?.meta.embedder === m.descriptorId;
    if (prevDone && sameParams && prevDone.meta.matrix === m.inputHash) {
      // Same works, same parameters: the latest output stands.
      const stats = { rows: m.ids.length, mode: "cached", placed: 0, ms: Date.now() - t0 };
      log.info("reduce finished", stats);
      return { inputHash: prevDone.inputHash, cached: true, stats };
    }
    const prev = prevDone && sameParams ? await readReduced(ctx.bucket, prevDone).catch(() => null) : null;
    // Refit once the works placed since the last fit add up to more than refitFraction.
    const placedBefore = Number(prevDone?.meta.changedSinceFit ?? 0);
    const inc = prev ? placeIncrementally(m, prev, { ...p, refitFraction: Math.max(0, p.refitFraction - placedBefore / Math.max(1, m.ids.length)) }) : null;
    const changedSinceFit = inc ? placedBefore + inc.changed : 0;
    // Incremental outputs depend on the previous layout, so it is part of the name.
    const inputHash = await hashInputs([stage, m.inputHash, hashed, inc ? prevDone!.inputHash : "fit", inc ? "" : (nnDone?.inputHash ?? "usearch")]);
    let mode: "fit" | "placed" | "cached" = "cached";
    let graphSource: "neighbours" | "usearch" | "none" = "none";
    if (await readDone(ctx.bucket, stage, inputHash)) await markLatest(ctx.bucket, stage, inputHash);
    else {
      let reduced: Reduced;
      if (inc) (reduced = inc.reduced), (mode = "placed");
      else {
        mode = "fit";
        const bar = createProgress("reduce", ctx.progress, "{phase}");
        let seen = 0;
        const graphK = Math.min(p.graphK, Math.max(1, m.ids.length - 1));
        const graph = nnDone ? await graphFromNeighboursOutput(ctx.bucket, nnDone, m.ids.length, graphK) : undefined;
        graphSource = nnDone ? "neighbours" : "usearch";
        reduced = await fitReduce(m, p, (label, e, total) => {
          if (seen === 0) bar.setTotal(total * 2);
          bar.increment({ phase: label });
          seen++;
        }, graph);
        bar.stop();
      }
      await writeStageOutput(ctx.bucket, stage, inputHash, encodeReduced(reduced), { matrix: m.inputHash, embedder: m.descriptorId, params: JSON.stringify(hashed), mode, rows: reduced.rows, changedSinceFit, graph: graphSource, neighbours: nnDone?.inputHash ?? null });
    }
    const stats = { rows: m.ids.length, mode, placed: inc?.placed ?? 0, mapDims: p.mapDims, clusterDims: p.clusterDims, engine: p.engine, graph: graphSource, ms: Date.now() - t0 };
    log.info("reduce finished", stats);
    return { inputHash, cached: mode === "cached", stats };
  },
});

if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("reduce"));
