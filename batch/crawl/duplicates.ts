// Duplicate works: the same image bytes (sha256, any shop) or, across shops, a near-identical
// picture (dHash within NEAR_DUPLICATE_MAX_DISTANCE, similar aspect ratio) make a later listing
// another offer of the earlier work (`artworks.duplicate_of`), not a second work. Near matches
// inside one shop are not linked: a shop's own catalogue tells its designs apart (OpenMoji's faces
// are a few bits apart at hash resolution yet distinct products).
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";
import { artworks } from "../../common/db/schema.ts";
import { NEAR_DUPLICATE_MAX_DISTANCE, NEAR_DUPLICATE_MAX_RATIO, NEAR_DUPLICATE_MIN_BITS } from "./phash.ts";

interface Entry {
  id: number;
  shopId: string;
  hash: string;
  phash: Uint8Array;
  aspect: number;
}

export interface ImageIdentity {
  shopId: string;
  hash: string;
  phash: string;
  width: number;
  height: number;
}

const POP = new Uint8Array(256).map((_, i) => {
  let c = 0;
  for (let v = i; v; v &= v - 1) c++;
  return c;
});

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** In-memory index of primary works' images, loaded once per crawl and kept current by `add`. */
export class DuplicateIndex {
  private readonly entries: Entry[] = [];
  private readonly byHash = new Map<string, number>();

  static async load(db: Db): Promise<DuplicateIndex> {
    const idx = new DuplicateIndex();
    const rows = await db
      .select({ id: artworks.id, shopId: artworks.shopId, hash: artworks.imageHash, phash: artworks.phash, w: artworks.imageWidth, h: artworks.imageHeight })
      .from(artworks)
      .where(and(isNull(artworks.duplicateOf), eq(artworks.status, "active"), isNotNull(artworks.imageHash), isNotNull(artworks.phash)))
      .orderBy(artworks.id);
    for (const r of rows) if (r.hash && r.phash && r.w && r.h) idx.add(r.id, { shopId: r.shopId, hash: r.hash, phash: r.phash, width: r.w, height: r.h });
    return idx;
  }

  add(id: number, img: ImageIdentity): void {
    if (!/^[0-9a-f]+$/.test(img.phash) || this.entries.some((e) => e.id === id)) return;
    this.entries.push({ id, shopId: img.shopId, hash: img.hash, phash: hexBytes(img.phash), aspect: img.width / img.height });
    if (!this.byHash.has(img.hash)) this.byHash.set(img.hash, id);
  }

  remove(id: number): void {
    const i = this.entries.findIndex((e) => e.id === id);
    if (i >= 0) this.entries.splice(i, 1);
    for (const [h, v] of this.byHash) if (v === id) this.byHash.delete(h);
  }

  /** The earliest primary work showing the same picture, other than `selfId`; null when none. */
  find(selfId: number | null, img: ImageIdentity): { id: number; how: "exact" | "near"; distance: number } | null {
    const exact = this.byHash.get(img.hash);
    if (exact !== undefined && exact !== selfId && (selfId === null || exact < selfId)) return { id: exact, how: "exact", distance: 0 };
    const p = hexBytes(img.phash);
    const aspect = img.width / img.height;
    let best: { id: number; distance: number } | null = null;
    for (const e of this.entries) {
      if (e.shopId === img.shopId || e.id === selfId || (selfId !== null && e.id > selfId) || e.phash.length !== p.length) continue; // only earlier works: no cycles
      if (Math.abs(Math.log(e.aspect / aspect)) > 0.1) continue; // a crop or another format is another work
      let d = 0;
      let union = 0;
      for (let i = 0; i < p.length && d <= NEAR_DUPLICATE_MAX_DISTANCE; i++) {
        d += POP[e.phash[i]! ^ p[i]!]!;
        union += POP[e.phash[i]! | p[i]!]!;
      }
      // Mostly-blank thumbnails (a corner flourish, a small figure) have few set bits and sit a few bits
      // from each other: demand enough information and a small distance relative to it.
      if (d <= NEAR_DUPLICATE_MAX_DISTANCE && union >= NEAR_DUPLICATE_MIN_BITS && d <= union * NEAR_DUPLICATE_MAX_RATIO && (!best || d < best.distance || (d === best.distance && e.id < best.id))) best = { id: e.id, distance: d };
    }
    return best ? { id: best.id, how: "near", distance: best.distance } : null;
  }
}
