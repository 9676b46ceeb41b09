// embed-merge stage: gathers the per-image features of every active work (written by the embed
// shards) into one matrix in id order — the input of every downstream stage. Refuses to merge
// while a shard of the same work set has not finished. Reuses the rows of the previous matrix,
// so only new images are read from the feature cache.
// Output: stages/embed-merge/<matrixHash>/{ids.u32, vectors.f32, hashes.bin}.
import { z } from "zod";
import type { Bucket } from "../../common/bucket/types.ts";
import type { Logger } from "../../common/log.ts";
import { defineStage, type StageContext } from "../pipeline-stage.ts";
import { embedderFolder } from "../pipeline-embedder.ts";
import { latestDone, markLatest, readDone, readStageFile, writeStageOutput } from "../pipeline-outputs.ts";
import { embedFeatureKey, worksHashFor } from "../features/describe.ts";
import { decodeMatrix, encodeMatrix, matrixInputHash, type FeatureMatrix } from "../features/store.ts";

export const MERGE_STAGE = "embed-merge";

/** Shards that finished this work set, from their markers; throws when a sharded run is incomplete. */
async function checkShards(bucket: Bucket, embedderId: string, worksHash: string): Promise<string> {
  const seen = new Map<number, Set<number>>();
  for await (const o of bucket.list(`stages/embed/${embedderFolder(embedderId)}/${worksHash}/`)) {
    const m = /shard-(\d+)-of-(\d+)\.json$/.exec(o.key);
    if (m) (seen.get(Number(m[2])) ?? seen.set(Number(m[2]), new Set()).get(Number(m[2]))!).add(Number(m[1]));
  }
  for (const [count, done] of seen) if (done.size === count) return `${count} shard(s)`;
  if (seen.size === 0) throw new Error(`embed-merge: the embed stage has not run for the current works (${worksHash.slice(0, 12)}); run --only embed (or its shards) first`);
  const [count, done] = [...seen.entries()][0]!;
  const missing = [...Array(count).keys()].filter((i) => !done.has(i));
  throw new Error(`embed-merge: embed shards ${missing.map((i) => `${i}/${count}`).join(", ")} have not finished for the current works`);
}

export async function loadMatrixOutput(bucket: Bucket, inputHash: string, embedderId: string): Promise<FeatureMatrix | null> {
  const done = await readDone(bucket, MERGE_STAGE, inputHash);
  if (!done) return null;
  const [ids, vectors, hashes] = await Promise.all(["ids.u32", "vectors.f32", "hashes.bin"].map((f) => readStageFile(bucket, done, f)));
  return decodeMatrix({ ids: ids!, vectors: vectors!, hashes: hashes! }, embedderId, inputHash, Number(done.meta.missing ?? 0));
}

/** The current matrix (in-process memo first, then the latest merge output). */
export async function currentMatrix(ctx: Pick<StageContext, "bucket" | "memo">, by: string): Promise<FeatureMatrix> {
  const memo = ctx.memo.get("matrix") as FeatureMatrix | undefined;
  if (memo) return memo;
  const done = await latestDone(ctx.bucket, MERGE_STAGE);
  if (!done) throw new Error(`${by}: no feature matrix yet; run --from embed-merge first`);
  const m = await loadMatrixOutput(ctx.bucket, done.inputHash, String(done.meta.embedder));
  if (!m) throw new Error(`${by}: the latest feature matrix is unreadable; rerun --from embed-merge`);
  ctx.memo.set("matrix", m);
  return m;
}

export async function runMerge(opts: { ctx: StageContext; log: Logger }): Promise<{ matrix: FeatureMatrix; cached: boolean; reused: number; loaded: number; shards: string }> {
  const { ctx, log } = opts;
  const embedder = await ctx.embedder();
  const { works, hash: worksHash } = await worksHashFor(ctx.db, embedder);
  const shards = await checkShards(ctx.bucket, embedder.id, worksHash);
  // Previous matrix of the same embedder: reuse its rows by image hash.
  const prev = await latestDone(ctx.bucket, MERGE_STAGE);
  const prevMatrix = prev && prev.meta.embedder === embedder.id ? await loadMatrixOutput(ctx.bucket, prev.inputHash, embedder.id).catch(() => null) : null;
  const prevRow = new Map<string, number>();
  prevMatrix?.hashes.forEach((h, r) => prevRow.set(h, r));

  const unique = [...new Set(works.map((w) => w.imageHash))];
  const vec = new Map<string, Float32Array | null>();
  let reused = 0;
  let loaded = 0;
  const toLoad: string[] = [];
  for (const h of unique) {
    const r = prevRow.get(h);
    if (r !== undefined && prevMatrix) (vec.set(h, prevMatrix.vectors.subarray(r * embedder.dim, (r + 1) * embedder.dim)), reused++);
    else toLoad.push(h);
  }
  // Remote buckets: a few requests in flight.
  for (let i = 0; i < toLoad.length; i += 32) {
    await Promise.all(
      toLoad.slice(i, i + 32).map(async (h) => {
        const b = await ctx.bucket.get(embedFeatureKey(embedder.id, h));
        if (b && b.byteLength === embedder.dim * 4) (vec.set(h, new Float32Array(b.slice().buffer)), loaded++);
        else vec.set(h, null);
      }),
    );
  }
  const ids: number[] = [];
  const hashes: string[] = [];
  for (const w of works) if (vec.get(w.imageHash)) (ids.push(w.id), hashes.push(w.imageHash));
  const missing = works.length - ids.length;
  if (missing) log.warn("works without features are left out (image missing or undecodable)", { missing });
  const inputHash = await matrixInputHash(embedder.id, embedder.dim, ids, hashes);
  const vectors = new Float32Array(ids.length * embedder.dim);
  hashes.forEach((h, r) => vectors.set(vec.get(h)!, r * embedder.dim));
  const matrix: FeatureMatrix = { descriptorId: embedder.id, dim: embedder.dim, ids: Uint32Array.from(ids), hashes, vectors, missing, inputHash };
  const cached = Boolean(await readDone(ctx.bucket, MERGE_STAGE, inputHash));
  if (!cached) await writeStageOutput(ctx.bucket, MERGE_STAGE, inputHash, encodeMatrix(matrix), { embedder: embedder.id, kind: embedder.kind, dim: embedder.dim, rows: ids.length, missing });
  else if (prev?.inputHash !== inputHash) await markLatest(ctx.bucket, MERGE_STAGE, inputHash);
  ctx.memo.set("matrix", matrix);
  ctx.memo.set("embedderKind", embedder.kind);
  return { matrix, cached, reused, loaded, shards };
}

export const mergeStage = defineStage({
  module: "embed-merge",
  inputs: ["DB: active artworks", "features/<embedder>/<hash>.f32", "embed shard markers"],
  outputs: ["stages/embed-merge/<matrixHash>/{ids.u32,vectors.f32,hashes.bin}"],
  params: z.object({}).strict(),
  async run(ctx, _p, stage) {
    const log = ctx.log.child({ stage });
    const r = await runMerge({ ctx, log });
    const stats = { rows: r.matrix.ids.length, dim: r.matrix.dim, embedder: r.matrix.descriptorId, missing: r.matrix.missing, reused: r.reused, loaded: r.loaded, shards: r.shards };
    log.info("merge finished", stats);
    return { inputHash: r.matrix.inputHash, cached: r.cached, stats };
  },
});

if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("embed-merge"));
