// Similar works: the precomputed neighbour table first, the WASM vector core when the table has
// nothing for a work; and "more like these" (several liked works) through the WASM core.
import { z } from "zod";
import type { SimilarResponse } from "../../common/api.ts";
import { NO_NEIGHBOUR } from "../../common/artifacts/read.ts";
import { MAX_K } from "../../wasm/src/index.ts";
import { notFound } from "../errors.ts";
import type { ArtworkRepository } from "../repositories/artworks.ts";
import type { ArtifactStore, LoadedArtifacts } from "./artifact-store.ts";
import type { ArtworkModel } from "./artwork-model.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { toSummary } from "./views.ts";

const OffsetCursor = z.object({ o: z.number().int().positive().max(MAX_K) });
type Scored = { id: number; score: number };

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export class SimilarService {
  constructor(
    private readonly artworks: ArtworkRepository,
    private readonly artifacts: ArtifactStore,
    /** In-memory catalogue (hydrated summaries); pages are served without a DB round trip. */
    private readonly models?: ArtworkModelStore,
  ) {}

  async similarTo(id: number, cursor: string | undefined, limit: number): Promise<SimilarResponse> {
    const offset = cursor ? decodeCursor("similar", OffsetCursor, cursor).o : 0;
    const set = await this.artifacts.current();
    const row = set?.rowOf.get(id);
    if (!set || row === undefined) {
      // Not in the published index (yet): an empty list for a live work, 404 otherwise.
      const work = await this.artworks.findById(id);
      if (!work || work.status !== "active") throw notFound("artwork_not_found", `no artwork with id ${id}`);
      return { items: [], next: null };
    }
    let candidates = this.fromTable(set, row);
    if (candidates.length === 0) {
      const index = await set.index();
      const hits = index.search(set.rowVector(row), Math.min(MAX_K, offset + limit + 1), { exclude: [row] });
      candidates = hits.map((h) => ({ id: set.ids[h.row]!, score: h.score }));
    }
    // One query hydrates the page and proves the work itself is still active.
    return this.page(candidates, offset, limit, "similar", id);
  }

  /** "More like these": liked ids pull, disliked ids push. Unknown ids are ignored. */
  async moreLike(liked: number[], disliked: number[], cursor: string | undefined, limit: number): Promise<SimilarResponse> {
    const offset = cursor ? decodeCursor("more", OffsetCursor, cursor).o : 0;
    const set = await this.artifacts.current();
    const rows = (ids: number[]) => ids.flatMap((id) => set?.rowOf.get(id) ?? []);
    const likedRows = rows(liked);
    const dislikedRows = rows(disliked);
    if (!set || likedRows.length === 0) throw notFound("artwork_not_found", "none of the given ids is in the index");
    const index = await set.index();
    const k = Math.min(MAX_K, offset + limit + 1);
    const hits = index.searchByExamples(likedRows, dislikedRows, k);
    const candidates = hits.map((h) => ({ id: set.ids[h.row]!, score: h.score }));
    return this.page(candidates, offset, limit, "more");
  }

  private fromTable(set: LoadedArtifacts, row: number): Scored[] {
    const out: Scored[] = [];
    for (let j = 0; j < set.k; j++) {
      const n = set.neighbours[row * set.k + j]!;
      if (n === NO_NEIGHBOUR || n === row) continue;
      out.push({ id: set.ids[n]!, score: set.neighbourScores[row * set.k + j]! / set.neighbourScale });
    }
    return out;
  }

  private async page(candidates: Scored[], offset: number, limit: number, kind: string, requireId?: number): Promise<SimilarResponse> {
    if (this.models) return this.pageFromModel(await this.models.current(), candidates, offset, limit, kind, requireId);
    const slice = candidates.slice(offset, offset + limit);
    const score = new Map(slice.map((c) => [c.id, c.score]));
    const ids = slice.map((c) => c.id);
    let rows = await this.artworks.findActiveByIds(requireId === undefined ? ids : [requireId, ...ids]);
    if (requireId !== undefined) {
      if (rows[0]?.id !== requireId) throw notFound("artwork_not_found", `no artwork with id ${requireId}`);
      rows = rows.slice(1);
    }
    const end = offset + slice.length;
    return {
      items: rows.map((r) => ({ ...toSummary(r), score: round(score.get(r.id) ?? 0) })),
      next: candidates.length > end && end < MAX_K ? encodeCursor(kind, { o: end }) : null,
    };
  }

  private pageFromModel(model: ArtworkModel, candidates: Scored[], offset: number, limit: number, kind: string, requireId?: number): SimilarResponse {
    if (requireId !== undefined && !model.snapshot.works.has(requireId)) throw notFound("artwork_not_found", `no artwork with id ${requireId}`);
    const slice = candidates.slice(offset, offset + limit);
    const items: SimilarResponse["items"] = [];
    for (const c of slice) {
      const w = model.snapshot.works.get(c.id);
      if (w) items.push(w.summaryWith({ score: round(c.score) }));
    }
    const end = offset + slice.length;
    return { items, next: candidates.length > end && end < MAX_K ? encodeCursor(kind, { o: end }) : null };
  }
}
