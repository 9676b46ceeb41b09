// /api/feed/random: the catalogue in a seeded pseudo-random order: ascending (hash(seed, id), id).
// Keyset-paged on that pair, so pages never skip or repeat a work even while works are added or removed
// between pages. Each page is one pass over the catalogue keeping the `limit` smallest keys after the
// cursor: no per-seed sorted copy to build or cache (every visitor draws their own seed), ~1 ms per
// 100k works.
import { z } from "zod";
import type { RandomResponse } from "../../common/api-reads.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { summaries } from "./feed-paging.ts";
import { jitter32 } from "./ranking.ts";

const Cursor = z.object({ s: z.number().int().min(0).max(0x7fffffff), kh: z.number().int().min(0).max(0xffffffff), ki: z.number().int().min(0) });

/** Position of (h, id) in the order: hash first, id breaks ties. */
const before = (h1: number, id1: number, h2: number, id2: number) => h1 < h2 || (h1 === h2 && id1 < id2);

/**
 * The `limit` works that come first in seed order strictly after `after` (or from the start), in order,
 * and whether any work follows them.
 */
export function randomPage(ids: readonly number[], seed: number, after: { h: number; id: number } | null, limit: number): { ids: number[]; keys: number[]; more: boolean } {
  // Sorted ascending; only the last (worst) entry is compared against most works.
  const bestH: number[] = [];
  const bestId: number[] = [];
  let later = 0;
  for (const id of ids) {
    const h = jitter32(seed, id);
    if (after && !before(after.h, after.id, h, id)) continue;
    later++;
    const n = bestH.length;
    if (n === limit && !before(h, id, bestH[n - 1]!, bestId[n - 1]!)) continue;
    let at = n;
    while (at > 0 && before(h, id, bestH[at - 1]!, bestId[at - 1]!)) at--;
    bestH.splice(at, 0, h);
    bestId.splice(at, 0, id);
    if (bestH.length > limit) (bestH.pop(), bestId.pop());
  }
  return { ids: bestId, keys: bestH, more: later > bestId.length };
}

export class RandomFeedService {
  constructor(private readonly models: ArtworkModelStore) {}

  async page(seedParam: number | undefined, cursor: string | undefined, limit: number): Promise<RandomResponse> {
    const c = cursor ? decodeCursor("random", Cursor, cursor) : null;
    const seed = c?.s ?? seedParam ?? Math.floor(Math.random() * 0x7fffffff);
    const model = await this.models.current();
    const page = randomPage(model.snapshot.ids, seed, c ? { h: c.kh, id: c.ki } : null, limit);
    const last = page.ids.length - 1;
    return {
      seed,
      items: summaries(model, page.ids),
      next: page.more && last >= 0 ? encodeCursor("random", { s: seed, kh: page.keys[last]!, ki: page.ids[last]! }) : null,
    };
  }
}
