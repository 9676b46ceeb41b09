// Test helpers for the stage tests: a temp libsql file + LocalBucket, synthetic works with real
// PNG images in the bucket (as the crawler stores them), and a counting embedder.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { openDatabase, type Db } from "../common/db/client.ts";
import { applyMigrations } from "../common/db/migrate.ts";
import { artworks, shops } from "../common/db/schema.ts";
import { LocalBucket } from "../common/bucket/local.ts";
import { imageKey } from "../common/bucket/keys.ts";
import { sha256Hex } from "../common/artifacts/format.ts";
import { createLogger } from "../common/log.ts";
import { parsePipelineConfig, type PipelineConfig } from "./pipeline-config.ts";
import type { ImageEmbedder } from "./features/embedder.ts";
import { readFileSync } from "node:fs";
import { DEFAULT_PIPELINE_CONFIG } from "./pipeline-config.ts";

export const quietLog = createLogger({}, "error");

export interface TestEnv {
  dir: string;
  dataDir: string;
  db: Db;
  bucket: LocalBucket;
  addWorks(n: number, opts?: { tags?: (i: number) => string[]; sameImageAs?: number }): Promise<number[]>;
  close(): Promise<void>;
}

/** Colour of synthetic work i: 6 well-separated hue families, so clusters and neighbours are checkable. */
export const familyOf = (i: number) => i % 6;

export async function createTestEnv(): Promise<TestEnv> {
  const dir = await mkdtemp(join(tmpdir(), "artsnob-stage-"));
  const dataDir = join(dir, "data");
  const handle = openDatabase(`file:${join(dir, "db.sqlite")}`);
  await applyMigrations(handle.db);
  const bucket = new LocalBucket(join(dataDir, "bucket"));
  await handle.db.insert(shops).values({ id: "s", name: "S", baseUrl: "https://s.example" }).onConflictDoNothing();
  let next = 0;
  const hashes: string[] = [];
  return {
    dir,
    dataDir,
    db: handle.db,
    bucket,
    async addWorks(n, opts = {}) {
      const ids: number[] = [];
      for (let j = 0; j < n; j++) {
        const i = next++;
        const f = familyOf(i);
        const base = [
          [220, 40, 40],
          [40, 200, 60],
          [40, 60, 220],
          [230, 220, 40],
          [30, 30, 30],
          [240, 240, 240],
        ][f]!;
        // A family colour background with an item-specific square: similar within a family.
        const png = await sharp({ create: { width: 48, height: 48, channels: 3, background: { r: base[0]!, g: base[1]!, b: base[2]! } } })
          .composite([{ input: { create: { width: 8 + (i % 13), height: 8 + ((i * 7) % 11), channels: 3, background: { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 } } }, left: (i * 5) % 30, top: (i * 3) % 30 }])
          .png()
          .toBuffer();
        const bytes = new Uint8Array(png);
        const hash = opts.sameImageAs !== undefined ? hashes[opts.sameImageAs]! : await sha256Hex(bytes);
        hashes[i] = hash;
        const key = imageKey(hash, "original", "png");
        await bucket.put(key, bytes, { ifAbsent: true });
        const tags = opts.tags ? opts.tags(i) : [["Red", "fire"], ["Green", "Trees", "forest"], ["blue", "sea"], ["yellow", "sun"], ["Black", "night"], ["white", "snow"]][f]!;
        const [row] = await handle.db
          .insert(artworks)
          .values({ shopId: "s", sourceUrl: `https://s.example/${i}`, canonicalUrl: `https://s.example/${i}`, title: `w${i}`, tags, imageHash: hash, imageVariants: { original: key } })
          .returning({ id: artworks.id });
        ids.push(row!.id);
      }
      return ids;
    },
    async close() {
      handle.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Wraps an embedder and records which images it was asked to embed. */
export function countingEmbedder(inner: ImageEmbedder): ImageEmbedder & { calls: number; images: number } {
  const e = {
    id: inner.id,
    kind: inner.kind,
    dim: inner.dim,
    calls: 0,
    images: 0,
    async embedImages(images: Uint8Array[]) {
      e.calls++;
      e.images += images.length;
      return inner.embedImages(images);
    },
  };
  return e;
}

/** The repository's pipeline.yaml with some stage params replaced (small data needs small k). */
export function testPipeline(overrides: Record<string, Record<string, unknown>> = {}): PipelineConfig {
  const c = parsePipelineConfig(readFileSync(DEFAULT_PIPELINE_CONFIG, "utf8"));
  for (const [stage, params] of Object.entries(overrides)) c.stages[stage]!.params = { ...c.stages[stage]!.params, ...params };
  return c;
}
