// colours.json for the export: the dominant colour names of every artifact row, so the edge's colour
// filter works whatever the embedder (classic-v2 is hue-invariant, CLIP has no colour block). The
// palette histogram of each image is cached in the bucket by image hash like the features
// (`features/palette-v1/<hash>.f32`), so a rerun only decodes new images.
import type { Bucket } from "../../common/bucket/types.ts";
import { imageKey } from "../../common/bucket/keys.ts";
import type { Db } from "../../common/db/client.ts";
import type { Logger } from "../../common/log.ts";
import { COLOURS, COLOUR_NAMING_VERSION, colourMask, dominantColours } from "../../common/colours.ts";
import { PALETTE_DIM, PALETTE_ID, describePalette } from "../features/descriptor.ts";
import { activeWorks, encodeFeature, featureKey, loadFeature, type FeatureMatrix } from "../features/store.ts";

export { COLOURS_FILE } from "../../common/colours.ts";
/** Goes into the export's version hash: a new palette or naming rule is a new artifact set. */
export const COLOURS_INPUT = `${PALETTE_ID}/names-v${COLOUR_NAMING_VERSION}`;
const BATCH = 8;

export interface ColoursJson {
  version: number;
  /** Bit i of a row's mask is names[i]. */
  names: string[];
  /** One u16 bitmask per artifact row (0: the image could not be read). */
  rows: number[];
}

/** The palette of one image: cached, else decoded from the original (or the 500 px variant) and cached. */
async function paletteOf(bucket: Bucket, hash: string, original: string | null, log: Logger): Promise<Float32Array | null> {
  const cached = await loadFeature(bucket, PALETTE_ID, hash, PALETTE_DIM);
  if (cached) return cached;
  const bytes = (original ? await bucket.get(original) : null) ?? (await bucket.get(imageKey(hash, 500)));
  if (!bytes) {
    log.warn("colours: image missing; work has no colours", { hash });
    return null;
  }
  try {
    const p = await describePalette(bytes);
    await bucket.put(featureKey(PALETTE_ID, hash), encodeFeature(p), { contentType: "application/octet-stream" });
    return p;
  } catch (e) {
    log.warn("colours: image undecodable; work has no colours", { hash, error: (e as Error).message });
    return null;
  }
}

export async function buildColours(ctx: { db: Db; bucket: Bucket; log: Logger }, m: FeatureMatrix): Promise<ColoursJson> {
  const originals = new Map((await activeWorks(ctx.db)).map((w) => [w.imageHash, w.original]));
  const maskOf = new Map<string, number>();
  const todo = [...new Set(m.hashes)];
  for (let i = 0; i < todo.length; i += BATCH) {
    // Decoding runs on libuv's pool: a few at a time keeps both cores busy without a memory spike.
    const chunk = todo.slice(i, i + BATCH);
    const palettes = await Promise.all(chunk.map((h) => paletteOf(ctx.bucket, h, originals.get(h) ?? null, ctx.log)));
    chunk.forEach((h, j) => maskOf.set(h, palettes[j] ? colourMask(dominantColours(palettes[j]!)) : 0));
  }
  return { version: COLOUR_NAMING_VERSION, names: [...COLOURS], rows: m.hashes.map((h) => maskOf.get(h) ?? 0) };
}
