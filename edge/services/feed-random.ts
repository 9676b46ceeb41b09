// /api/feed/random: the catalogue in a seeded pseudo-random order. Keyset-paged on (hash(seed, id), id),
// so pages never skip or repeat a work even while works are added or removed between pages.
import { z } from "zod";
import type { RandomResponse } from "../../common/api-reads.ts";
import type { ArtworkModel } from "./artwork-model.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { summaries } from "./feed-paging.ts";
import { jitter } from "./ranking.ts";

const Cursor = z.object({ s: z.number().int().min(0).max(0x7fffffff), kh: z.number().min(0).max(1), ki: z.number().int().min(0) });
type Order = { keys: Float64Array; ids: Int32Array };

export class RandomFeedService {
  private orders = new Map<string, Order>();

  constructor(private readonly models: ArtworkModelStore) {}

  private order(model: ArtworkModel, seed: number): Order {
    const key = `${model.key}|${seed}`;
    let o = this.orders.get(key);
    if (!o) {
      const ids = Int32Array.from(model.snapshot.ids);
      const h = new Map<number, number>();
      for (const id of ids) h.set(id, jitter(seed, id));
      ids.sort((a, b) => h.get(a)! - h.get(b)! || a - b);
      o = { ids, keys: Float64Array.from(ids, (id) => h.get(id)!) };
      if (this.orders.size >= 32) this.orders.delete(this.orders.keys().next().value!);
      this.orders.set(key, o);
    }
    return o;
  }

  async page(seedParam: number | undefined, cursor: string | undefined, limit: number): Promise<RandomResponse> {
    const c = cursor ? decodeCursor("random", Cursor, cursor) : null;
    const seed = c?.s ?? seedParam ?? Math.floor(Math.random() * 0x7fffffff);
    const model = await this.models.current();
    const o = this.order(model, seed);
    let start = 0;
    if (c) {
      // First position strictly after (kh, ki).
      let lo = 0;
      let hi = o.ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const after = o.keys[mid]! > c.kh || (o.keys[mid] === c.kh && o.ids[mid]! > c.ki);
        if (after) hi = mid;
        else lo = mid + 1;
      }
      start = lo;
    }
    const ids = Array.from(o.ids.subarray(start, start + limit));
    const last = ids.length ? start + ids.length - 1 : -1;
    return {
      seed,
      items: summaries(model, ids),
      next: last >= 0 && last + 1 < o.ids.length ? encodeCursor("random", { s: seed, kh: o.keys[last]!, ki: o.ids[last]! }) : null,
    };
  }
}
