// /api/search: hybrid search. FTS5 BM25 over title/artist/tags/description/category, fused by
// reciprocal rank fusion with CLIP text → image similarity when a text embedder is configured and the
// published index holds CLIP vectors of the same model. Filters (price, orientation, size, colour,
// tag, shop) apply to the fused list over the in-memory catalogue. Fused lists and query vectors are
// cached per read model, so repeated and paged queries cost no DB round trip.
import { z } from "zod";
import type { HybridSearchResponse } from "../../common/api-reads.ts";
import type { TextEmbedder } from "../../batch/features/embedder.ts";
import type { Logger } from "../../common/log.ts";
import { badRequest } from "../errors.ts";
import type { ArtworkRepository } from "../repositories/artworks.ts";
import type { ArtworkModel } from "./artwork-model.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { shortHash, summaries } from "./feed-paging.ts";
import { buildFtsQuery } from "./fts-query.ts";
import { matchesFilters, type SearchFilters } from "./search-filters.ts";

/** Deep pages re-rank everything before them; nobody pages this far by hand. */
export const MAX_SEARCH_OFFSET = 1000;
const LEXICAL_DEPTH = 1000;
const SEMANTIC_DEPTH = 300;
const RRF_K = 60;
const CACHE_ENTRIES = 2000;
const SearchCursor = z.object({ o: z.number().int().positive().max(MAX_SEARCH_OFFSET), h: z.string().max(16) });

export type { TextEmbedder };

class Lru<V> {
  private map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) (this.map.delete(k), this.map.set(k, v));
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  clear(): void {
    this.map.clear();
  }
}

export class SearchService {
  private lexical = new Lru<Promise<number[]>>(CACHE_ENTRIES);
  private vectors = new Lru<Promise<Float32Array>>(500);
  private modelKey = "";

  constructor(
    private readonly artworks: ArtworkRepository,
    private readonly models: ArtworkModelStore,
    private readonly logger: Logger,
    private readonly textEmbedder?: TextEmbedder,
  ) {}

  /** BM25-ranked ids of active works for free text (cached per read model). */
  async lexicalIds(q: string): Promise<number[]> {
    const match = buildFtsQuery(q).match;
    if (!match) return [];
    const model = await this.models.current();
    this.resetIfChanged(model);
    let hit = this.lexical.get(match);
    if (!hit) {
      hit = this.artworks.searchIds(match, 0, LEXICAL_DEPTH);
      hit.catch(() => this.lexical.set(match, Promise.resolve([])));
      this.lexical.set(match, hit);
    }
    return hit;
  }

  private resetIfChanged(model: ArtworkModel): void {
    if (model.key !== this.modelKey) {
      this.modelKey = model.key;
      this.lexical.clear();
    }
  }

  private readyAt = 0;
  /** A remote embedder learns its model id from the service first (retried at most once a minute). */
  private async embedderReady(): Promise<boolean> {
    const e = this.textEmbedder as (TextEmbedder & { ready?: () => Promise<unknown> }) | undefined;
    if (!e) return false;
    if (e.id || !e.ready) return true;
    if (Date.now() - this.readyAt < 60_000) return false;
    this.readyAt = Date.now();
    await e.ready().catch((err) => this.logger.warn("text encoder not ready; lexical search only", { error: String(err) }));
    return e.id !== "";
  }

  /** CLIP text → image neighbours, or null when no compatible text embedder/index is configured. */
  private async semanticIds(model: ArtworkModel, text: string): Promise<number[] | null> {
    const set = model.set;
    if (!this.textEmbedder || !set || set.manifest.embedder.kind !== "clip" || !(await this.embedderReady())) return null;
    if (set.manifest.embedder.id !== this.textEmbedder.id) return null;
    if (this.textEmbedder.dim !== set.manifest.dim) return null;
    const key = text.toLowerCase();
    let vec = this.vectors.get(key);
    if (!vec) {
      vec = this.textEmbedder.embedTexts([text]).then((v) => v[0]!);
      this.vectors.set(key, vec);
    }
    try {
      const index = await set.index();
      return index.search(await vec, SEMANTIC_DEPTH).map((h) => set.ids[h.row]!);
    } catch (err) {
      this.vectors.set(key, Promise.reject(err));
      this.logger.warn("text embedder failed; lexical results only", { error: String(err) });
      return null;
    }
  }

  async search(q: string, filters: SearchFilters, cursor: string | undefined, limit: number): Promise<HybridSearchResponse> {
    const query = buildFtsQuery(q);
    const model = await this.models.current();
    const listKey = shortHash(`${query.text}|${JSON.stringify(filters)}`);
    let offset = 0;
    if (cursor) {
      const c = decodeCursor("search", SearchCursor, cursor);
      if (c.h !== listKey) throw badRequest("invalid_cursor", "cursor belongs to another query");
      offset = c.o;
    }
    const [lexical, semantic] = await Promise.all([this.lexicalIds(q), this.semanticIds(model, query.text)]);
    let fused = lexical;
    if (semantic && semantic.length > 0) {
      const score = new Map<number, number>();
      lexical.forEach((id, r) => score.set(id, (score.get(id) ?? 0) + 1 / (RRF_K + r + 1)));
      semantic.forEach((id, r) => score.set(id, (score.get(id) ?? 0) + 1 / (RRF_K + r + 1)));
      fused = [...score].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id);
    }
    // Duplicate listings are offers of their primary work, never results of their own.
    const ids = fused.filter((id) => model.snapshot.works.has(id) && model.snapshot.works.get(id)!.duplicateOf == null && matchesFilters(model, id, filters));
    const page = ids.slice(offset, offset + limit);
    const end = offset + page.length;
    return {
      query: query.text,
      total: ids.length,
      mode: semantic ? "hybrid" : "lexical",
      items: summaries(model, page),
      next: end < ids.length && end < MAX_SEARCH_OFFSET ? encodeCursor("search", { o: end, h: listKey }) : null,
    };
  }
}
