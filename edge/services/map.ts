// /api/map: every work's 2-d coordinates in [0, 1]², paged and optionally cut to a bounding box (a
// tile). From the batch's map.f32 (UMAP) when published; until then a PCA projection of the vectors
// (the two leading principal components by power iteration), computed once per read model.
import { z } from "zod";
import type { MapPoint, MapResponse } from "../../common/api-reads.ts";
import { badRequest } from "../errors.ts";
import type { ArtworkModel } from "./artwork-model.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { shortHash } from "./feed-paging.ts";

const Offset = z.object({ o: z.number().int().positive().max(10_000_000), h: z.string().max(16) });
export type Bbox = [number, number, number, number];
type Coords = { source: MapResponse["source"]; ids: number[]; xy: Float32Array };

/** Two leading principal components of int8 rows (power iteration with deflation), scaled to [0,1]. */
export function pca2(rowVector: (row: number) => Int8Array, all: number[], dim: number): Float32Array {
  // Components are fitted on an even sample (≤ 4000 rows, copied once: read 50 times below), then every
  // row is projected, one row copy at a time (the vectors live in WASM memory, not in JS).
  const stride = Math.max(1, Math.ceil(all.length / 4000));
  const sampleRows = all.filter((_, i) => i % stride === 0);
  const n = sampleRows.length;
  const sample = new Int8Array(n * dim);
  sampleRows.forEach((r, i) => sample.set(rowVector(r), i * dim));
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += sample[i * dim + d]! / n;
  const comps: Float64Array[] = [];
  for (let k = 0; k < 2; k++) {
    let v = new Float64Array(dim).map((_, d) => Math.sin(d * 12.9898 + k * 78.233)); // fixed start: deterministic
    for (let it = 0; it < 25; it++) {
      const next = new Float64Array(dim);
      for (let i = 0; i < n; i++) {
        let p = 0;
        for (let d = 0; d < dim; d++) p += (sample[i * dim + d]! - mean[d]!) * v[d]!;
        for (let d = 0; d < dim; d++) next[d]! += p * (sample[i * dim + d]! - mean[d]!);
      }
      for (const c of comps) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += next[d]! * c[d]!;
        for (let d = 0; d < dim; d++) next[d]! -= dot * c[d]!;
      }
      const norm = Math.hypot(...next) || 1;
      v = next.map((x) => x / norm);
    }
    comps.push(v);
  }
  const raw = new Float64Array(all.length * 2);
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  all.forEach((r, i) => {
    const x = rowVector(r);
    for (let k = 0; k < 2; k++) {
      let p = 0;
      for (let d = 0; d < dim; d++) p += (x[d]! - mean[d]!) * comps[k]![d]!;
      raw[i * 2 + k] = p;
      lo[k] = Math.min(lo[k]!, p);
      hi[k] = Math.max(hi[k]!, p);
    }
  });
  const xy = new Float32Array(all.length * 2);
  for (let i = 0; i < all.length; i++) for (let k = 0; k < 2; k++) xy[i * 2 + k] = hi[k]! > lo[k]! ? (raw[i * 2 + k]! - lo[k]!) / (hi[k]! - lo[k]!) : 0.5;
  return xy;
}

export class MapService {
  private cache: { key: string; coords: Coords } | null = null;

  constructor(private readonly models: ArtworkModelStore) {}

  private async coords(model: ArtworkModel): Promise<Coords> {
    if (this.cache?.key === model.key) return this.cache.coords;
    const set = model.set;
    const ids = model.snapshot.ids.filter((id) => model.rowOf(id) !== undefined);
    const rows = ids.map((id) => model.rowOf(id)!);
    let coords: Coords = { source: "pca", ids, xy: new Float32Array(0) };
    const published = set ? model.map : null;
    if (set && published) {
      // Rescale the published layout to [0,1]² (UMAP units are arbitrary).
      let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const r of rows) (x0 = Math.min(x0, published[r * 2]!)), (x1 = Math.max(x1, published[r * 2]!)), (y0 = Math.min(y0, published[r * 2 + 1]!)), (y1 = Math.max(y1, published[r * 2 + 1]!));
      const xy = new Float32Array(rows.length * 2);
      rows.forEach((r, i) => {
        xy[i * 2] = x1 > x0 ? (published[r * 2]! - x0) / (x1 - x0) : 0.5;
        xy[i * 2 + 1] = y1 > y0 ? (published[r * 2 + 1]! - y0) / (y1 - y0) : 0.5;
      });
      coords = { source: "artifacts", ids, xy };
    } else if (set) coords.xy = pca2(set.rowVector, rows, set.manifest.dim);
    this.cache = { key: model.key, coords };
    return coords;
  }

  async page(bbox: Bbox | undefined, cursor: string | undefined, limit: number): Promise<MapResponse> {
    const model = await this.models.current();
    const c = await this.coords(model);
    const h = shortHash(JSON.stringify(bbox ?? null));
    const offset = cursor ? decodeCursor("map", Offset, cursor) : null;
    if (offset && offset.h !== h) throw badRequest("invalid_cursor", "cursor belongs to another bounding box");
    const inBox: number[] = [];
    for (let i = 0; i < c.ids.length; i++) {
      const x = c.xy[i * 2]!;
      const y = c.xy[i * 2 + 1]!;
      if (!bbox || (x >= bbox[0] && y >= bbox[1] && x <= bbox[2] && y <= bbox[3])) inBox.push(i);
    }
    const start = offset?.o ?? 0;
    const page = inBox.slice(start, start + limit);
    const end = start + page.length;
    const items: MapPoint[] = page.map((i) => {
      const id = c.ids[i]!;
      const w = model.snapshot.works.get(id)!;
      const thumb = w.summary.image.srcset[0]?.url ?? w.summary.image.url;
      return { id, x: Math.round(c.xy[i * 2]! * 1e5) / 1e5, y: Math.round(c.xy[i * 2 + 1]! * 1e5) / 1e5, cluster: model.clusterOf.get(id) ?? null, title: w.row.title, thumb };
    });
    return { source: c.source, total: inBox.length, items, next: end < inBox.length ? encodeCursor("map", { o: end, h }) : null };
  }
}
