// Embed stage (per item, sharded). Input: active artworks with an image (DB) and their originals
// (bucket). Output: one vector per image hash, cached at features/<embedder>/<hash>.f32, so a
// rerun — or a rerun after a crash — only computes images it has not seen. With --shard i/N it
// takes the images whose hash falls in shard i; a marker per shard tells the merge stage it is
// complete. CLI: `tsx batch/features/describe.ts [--shard i/N]`.
import { z } from "zod";
import type { Bucket } from "../../common/bucket/types.ts";
import type { Db } from "../../common/db/client.ts";
import { createLogger, type Logger } from "../../common/log.ts";
import { imageKey } from "../../common/bucket/keys.ts";
import { createProgress, progressEnabledByDefault } from "../progress.ts";
import { defineStage } from "../pipeline-stage.ts";
import { shardOf, type Shard } from "../pipeline-config.ts";
import { classicEmbedder, embedderFolder } from "../pipeline-embedder.ts";
import type { ImageEmbedder } from "./embedder.ts";
import { activeWorks, encodeFeature, matrixInputHash } from "./store.ts";

export { DESCRIPTOR_DIM, DESCRIPTOR_ID, describeImage, describePixels } from "./descriptor.ts";

export interface DescribeStats {
  embedder: string;
  shard: string;
  images: number;
  computed: number;
  cached: number;
  failed: number;
  ms: number;
  imagesPerSecond: number;
}
export type EmbedStats = DescribeStats;

export const featureFolder = (embedderId: string) => `features/${embedderFolder(embedderId)}`;
export const embedFeatureKey = (embedderId: string, hash: string) => `${featureFolder(embedderId)}/${hash}.f32`;
/** Marker that shard i of N embedded every image of the work set `worksHash`. */
export const shardMarkerKey = (embedderId: string, worksHash: string, shard: Shard) => `stages/embed/${embedderFolder(embedderId)}/${worksHash}/shard-${shard.index}-of-${shard.count}.json`;

/** Works hash as the merge stage will see it: embedder, dim and every (id, image hash). */
export async function worksHashFor(db: Db, embedder: Pick<ImageEmbedder, "id" | "dim">): Promise<{ works: Awaited<ReturnType<typeof activeWorks>>; hash: string }> {
  const works = await activeWorks(db);
  return { works, hash: await matrixInputHash(embedder.id, embedder.dim, works.map((w) => w.id), works.map((w) => w.imageHash)) };
}

export async function runEmbed(opts: { db: Db; bucket: Bucket; embedder?: ImageEmbedder; shard?: Shard; batchSize?: number; log?: Logger; progress?: boolean }): Promise<DescribeStats> {
  const t0 = Date.now();
  const embedder = opts.embedder ?? classicEmbedder();
  const shard = opts.shard ?? { index: 0, count: 1 };
  const log = (opts.log ?? createLogger()).child({ stage: "embed", shard: `${shard.index}/${shard.count}`, embedder: embedder.id });
  const { works, hash: worksHash } = await worksHashFor(opts.db, embedder);
  const byHash = new Map<string, string | null>();
  for (const w of works) if (!byHash.has(w.imageHash) && shardOf(w.imageHash, shard.count) === shard.index) byHash.set(w.imageHash, w.original);

  // One listing instead of one HEAD per image (100k HEADs are slow on GCS).
  const have = new Set<string>();
  for await (const o of opts.bucket.list(`${featureFolder(embedder.id)}/`)) {
    const m = /([0-9a-f]{64})\.f32$/.exec(o.key);
    if (m && o.size === embedder.dim * 4) have.add(m[1]!);
  }
  const todo = [...byHash.keys()].filter((h) => !have.has(h));
  const stats: DescribeStats = { embedder: embedder.id, shard: `${shard.index}/${shard.count}`, images: byHash.size, computed: 0, cached: byHash.size - todo.length, failed: 0, ms: 0, imagesPerSecond: 0 };
  const progress = createProgress("embed", opts.progress ?? progressEnabledByDefault(), "computed {computed} failed {failed}");
  progress.setTotal(todo.length);

  const batchSize = Math.max(1, opts.batchSize ?? 16);
  const fetchBatch = (hashes: string[]) =>
    Promise.all(hashes.map(async (h) => ({ hash: h, bytes: (byHash.get(h) ? await opts.bucket.get(byHash.get(h)!) : null) ?? (await opts.bucket.get(imageKey(h, 500))) })));
  // Fetch the next batch while this one is embedded (sharp and onnxruntime use their own threads).
  let next = todo.length ? fetchBatch(todo.slice(0, batchSize)) : null;
  for (let i = 0; i < todo.length; i += batchSize) {
    const batch = await next!;
    next = i + batchSize < todo.length ? fetchBatch(todo.slice(i + batchSize, i + 2 * batchSize)) : null;
    const ok = batch.filter((b) => b.bytes) as Array<{ hash: string; bytes: Uint8Array }>;
    for (const b of batch) if (!b.bytes) (stats.failed++, log.warn("image missing in bucket", { hash: b.hash }));
    let vectors: Array<Float32Array | null>;
    try {
      vectors = await embedder.embedImages(ok.map((b) => b.bytes));
    } catch {
      // One bad image must not lose the batch: retry one by one.
      vectors = [];
      for (const b of ok) {
        try {
          vectors.push((await embedder.embedImages([b.bytes]))[0]!);
        } catch (e) {
          vectors.push(null);
          log.warn("embed failed", { hash: b.hash, error: (e as Error).message });
        }
      }
    }
    for (let j = 0; j < ok.length; j++) {
      const v = vectors[j];
      if (!v || v.length !== embedder.dim) {
        if (v) log.warn("embedder returned a wrong dimension", { hash: ok[j]!.hash, got: v.length, want: embedder.dim });
        stats.failed++;
      } else {
        await opts.bucket.put(embedFeatureKey(embedder.id, ok[j]!.hash), encodeFeature(v), { contentType: "application/octet-stream" });
        stats.computed++;
      }
      progress.increment({ computed: stats.computed, failed: stats.failed });
    }
    for (let j = ok.length; j < batch.length; j++) progress.increment({ computed: stats.computed, failed: stats.failed });
  }
  progress.stop();
  stats.ms = Date.now() - t0;
  stats.imagesPerSecond = stats.computed > 0 ? Math.round((stats.computed / Math.max(1, stats.ms)) * 1000 * 10) / 10 : 0;
  await opts.bucket.put(shardMarkerKey(embedder.id, worksHash, shard), JSON.stringify({ ...stats, worksHash, at: new Date().toISOString() }), { contentType: "application/json" });
  log.info("embed finished", { ...stats });
  return stats;
}

/** Back-compatible name of the skeleton's describe stage. */
export const runDescribe = runEmbed;

export const embedStage = defineStage({
  module: "embed",
  inputs: ["DB: active artworks with image_hash", "bucket: images/<h2>/<hash>/original.*"],
  outputs: ["features/<embedder>/<hash>.f32 (per image)", "stages/embed/<embedder>/<worksHash>/shard-i-of-N.json"],
  params: z.object({}).strict(),
  async run(ctx) {
    const embedder = await ctx.embedder();
    const stats = await runEmbed({ db: ctx.db, bucket: ctx.bucket, embedder, shard: ctx.shard, batchSize: ctx.pipeline.embedder.batchSize, log: ctx.log, progress: ctx.progress });
    return { inputHash: null, cached: stats.computed === 0, stats: { ...stats } };
  },
});

// Own entry point: `tsx batch/features/describe.ts` runs just this stage (same flags as batch/cli.ts).
if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("embed")); // no top-level await: the pipeline imports this module
