// /api/feed/random: the catalogue in a seeded pseudo-random order. Keyset-paged on (hash(seed, id), id),
// so pages never skip or repeat a work even while works are added or removed between pages.
import { z } from "zod";
import type { RandomResponse } from "../../common/api-reads.ts";
import type { ArtworkModel } from "./artwork-model.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { summaries } from "./feed-paging.ts";
import { jitter } from "./ranking.ts";

const Cursor = z.object({ s: z.number().int().min(0).max(0x7fffffff), kh: z.number().int().min(0).max(0xffffffff), ki: z.number().int().min(0) });
type Order = { keys: Uint32Array; ids: Int32Array };
const SLOT = 2 ** 20; // catalogue positions < 2^20 pack under a 32-bit hash exactly in a float64

export class RandomFeedService {
  private orders = new Map<string, Order>();

  constructor(private readonly models: ArtworkModelStore) {}

  private order(model: ArtworkModel, seed: number): Order {
    const key = `${model.key}|${seed}`;
    let o = this.orders.get(key);
    if (!o) {
      // Native numeric sort of packed (hash · 2^20 + position): ~10 ms for 100k works, no comparator.
      const all = model.snapshot.ids;
      if (all.length > SLOT) throw new Error(`random order supports at most ${SLOT} works`);
      const packed = new Float64Array(all.length);
      for (let i = 0; i < all.length; i++) packed[i] = Math.floor(jitter(seed, all[i]!) * 4294967296) * SLOT + (i % SLOT);
      packed.sort();
      const ids = new Int32Array(all.length);
      const keys = new Uint32Array(all.length);
      for (let j = 0; j < packed.length; j++) {
        const v = packed[j]!;
        keys[j] = Math.floor(v / SLOT);
        ids[j] = all[v % SLOT]!;
      }
      o = { ids, keys };
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
