// Describe stage. Input: active artworks with an image (DB) and their originals (bucket).
// Output: one classic-v1 vector per image hash in the bucket; cached, so a rerun only
// computes images it has not seen. CLI: `tsx batch/features/describe.ts`.
import type { Bucket } from "../../common/bucket/types.ts";
import type { Db } from "../../common/db/client.ts";
import { createLogger, type Logger } from "../../common/log.ts";
import { imageKey } from "../../common/bucket/keys.ts";
import { createProgress, progressEnabledByDefault } from "../progress.ts";
import { DESCRIPTOR_DIM, DESCRIPTOR_ID, describeImage } from "./descriptor.ts";
import { activeWorks, encodeFeature, featureKey } from "./store.ts";

export { DESCRIPTOR_DIM, DESCRIPTOR_ID, describeImage, describePixels } from "./descriptor.ts";

export interface DescribeStats {
  images: number;
  computed: number;
  cached: number;
  failed: number;
  ms: number;
  imagesPerSecond: number;
}

export async function runDescribe(opts: { db: Db; bucket: Bucket; log?: Logger; progress?: boolean }): Promise<DescribeStats> {
  const t0 = Date.now();
  const log = (opts.log ?? createLogger()).child({ stage: "describe" });
  const works = await activeWorks(opts.db);
  const byHash = new Map<string, string | null>();
  for (const w of works) if (!byHash.has(w.imageHash)) byHash.set(w.imageHash, w.original);
  const stats: DescribeStats = { images: byHash.size, computed: 0, cached: 0, failed: 0, ms: 0, imagesPerSecond: 0 };
  const progress = createProgress("describe", opts.progress ?? progressEnabledByDefault(), "computed {computed} cached {cached}");
  progress.setTotal(byHash.size);
  for (const [hash, original] of byHash) {
    const key = featureKey(DESCRIPTOR_ID, hash);
    if (await opts.bucket.head(key)) {
      stats.cached++;
    } else {
      const bytes = (original ? await opts.bucket.get(original) : null) ?? (await opts.bucket.get(imageKey(hash, 500)));
      if (!bytes) {
        stats.failed++;
        log.warn("image missing in bucket", { hash });
      } else {
        try {
          await opts.bucket.put(key, encodeFeature(await describeImage(bytes)), { contentType: "application/octet-stream" });
          stats.computed++;
        } catch (e) {
          stats.failed++;
          log.warn("describe failed", { hash, error: (e as Error).message });
        }
      }
    }
    progress.increment({ computed: stats.computed, cached: stats.cached });
  }
  progress.stop();
  stats.ms = Date.now() - t0;
  stats.imagesPerSecond = stats.computed > 0 ? Math.round((stats.computed / Math.max(1, stats.ms)) * 1000 * 10) / 10 : 0;
  log.info("describe finished", { ...stats });
  return stats;
}

// Own entry point: `tsx batch/features/describe.ts` runs just this stage (same flags as batch/cli.ts).
if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("describe")); // no top-level await: the pipeline imports this module
