// /api/feed/recommended: candidates around the session's likes and recent searches, reranked
// (edge/services/ranking.ts); a cold session gets the curated mix. The first page fixes a paging
// context in the cursor (seed, last action id, start time, page size), so later pages replay the same
// ranking: no work is skipped or repeated even if the session acts or is shown works meanwhile.
import { z } from "zod";
import type { FeedReason, RecommendedResponse } from "../../common/api-reads.ts";
import { badRequest } from "../errors.ts";
import type { ArtworkSignalsRepository, TasteSignals } from "../repositories/artwork-signals.ts";
import type { ArtworkModel } from "./artwork-model.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { seedOf, shortHash } from "./feed-paging.ts";
import { rankCold, rankPersonal, whyText, type Ranked, type Why } from "./ranking.ts";
import type { SearchService } from "./search.ts";

export const MAX_FEED = 500;
export const DEFAULT_PER_ARTIST = 2;
const Cursor = z.object({
  o: z.number().int().min(0).max(MAX_FEED),
  s: z.number().int().min(0).max(0x7fffffff),
  a: z.number().int().min(0),
  t: z.number().int().min(0),
  w: z.number().int().min(1).max(100),
  h: z.string().max(16),
});

export interface RecommendRequest {
  session: { id: string; userId: string | null } | null;
  /** Explicit signals (stateless clients, or on top of the session's). */
  likes: number[];
  dislikes: number[];
  limit: number;
  cursor?: string;
  perArtist?: number;
  /** Record the page as exposures for the session server-side (default off: clients log what they
   * actually showed through POST /api/exposures). */
  record: boolean;
}

/** A ranked feed as kept in the cache: ids in a typed array and shared reason objects, so hundreds of
 * cached lists add almost nothing for the garbage collector to trace. */
interface RankedList {
  ids: Int32Array;
  whys: FeedReason[];
  personal: boolean;
}

export class RecommendService {
  /** Ranked lists by paging context: later pages and repeated stateless requests skip the ranking. */
  private lists = new Map<string, RankedList>();

  constructor(
    private readonly models: ArtworkModelStore,
    private readonly signals: ArtworkSignalsRepository,
    private readonly search: SearchService,
  ) {}

  async recommended(req: RecommendRequest): Promise<RecommendedResponse> {
    const explicitKey = shortHash(`${req.likes.join(",")}|${req.dislikes.join(",")}`);
    const c = req.cursor ? decodeCursor("reco", Cursor, req.cursor) : null;
    if (c && c.h !== explicitKey) throw badRequest("invalid_cursor", "cursor belongs to other likes/dislikes; start again without one");
    const pageSize = c?.w ?? req.limit;
    const offset = c?.o ?? 0;
    const seed = c?.s ?? seedOf(req.session ? `${req.session.id}:${Date.now() >> 16}` : `${explicitKey}`);
    const startedAt = c?.t ?? (req.session ? Date.now() : 0); // 0: stateless, so the same request gives the same cursor

    const model = await this.models.current();
    let taste: TasteSignals = { maxActionId: 0, liked: [], disliked: [], skipped: [], searches: [] };
    let exposures = new Map<number, number>();
    if (req.session) {
      [taste, exposures] = await Promise.all([
        this.signals.taste(req.session.id, req.session.userId, c?.a),
        this.signals.exposures(req.session.id, new Date(startedAt).toISOString()),
      ]);
    }
    // One paging context = (model, signals up to action `a`, start time `t`, seed, page size): its first
    // page stores the ranked list under this key and later pages read it back unchanged.
    const key = `${model.key}|${explicitKey}|${req.session?.id ?? "-"}|${taste.maxActionId}|${startedAt}|${seed}|${pageSize}|${req.perArtist ?? ""}`;
    let cached = this.lists.get(key);
    if (!cached) {
      cached = await this.rank(model, req, taste, exposures, seed, pageSize);
      if (this.lists.size >= 256) this.lists.delete(this.lists.keys().next().value!); // small: each list holds ≤ 500 items
      this.lists.set(key, cached);
    }
    const { ids, whys, personal } = cached;
    const pageIds = Array.from(ids.subarray(offset, offset + req.limit));
    const end = offset + pageIds.length;
    if (req.record && req.session && pageIds.length > 0) await this.signals.recordExposures(req.session.id, pageIds, "recommended");
    return {
      mode: personal ? "personal" : "curated",
      items: pageIds.flatMap((id, i) => {
        const w = model.snapshot.works.get(id);
        return w ? [w.summaryWith({ why: whys[offset + i]! })] : [];
      }),
      next: end < ids.length && end < MAX_FEED ? encodeCursor("reco", { o: end, s: seed, a: taste.maxActionId, t: startedAt, w: pageSize, h: explicitKey }) : null,
    };
  }

  private async rank(model: ArtworkModel, req: RecommendRequest, taste: TasteSignals, exposures: Map<number, number>, seed: number, pageSize: number): Promise<RankedList> {
    const liked = [...new Set([...req.likes, ...taste.liked])];
    const disliked = [...new Set([...req.dislikes, ...taste.disliked])].filter((id) => !liked.includes(id));
    const searches = await Promise.all(taste.searches.slice(0, 3).map(async (query) => ({ query, ids: await this.search.lexicalIds(query).catch(() => []) })));
    const exclude = new Set([...liked, ...disliked, ...taste.skipped]);
    const personal = liked.length + disliked.length + searches.filter((s) => s.ids.length > 0).length > 0;
    const perArtist = req.perArtist ?? DEFAULT_PER_ARTIST;
    const set = model.set;
    const index = set && personal ? await set.index() : null;
    const ranked: Ranked[] = personal
      ? rankPersonal({ model, index, liked, disliked, exclude, searches, exposures, seed, perArtist, pageSize, maxItems: MAX_FEED })
      : rankCold({ model, exposures, seed, perArtist, pageSize, exclude, maxItems: MAX_FEED });

    // The ranker shares one reason object per liked work, query or cluster; keep that sharing here.
    const reasons = new Map<Why, FeedReason>();
    const reason = (why: Why) => reasons.get(why) ?? (reasons.set(why, { ...why, text: whyText(why) } as FeedReason), reasons.get(why)!);
    return { ids: Int32Array.from(ranked, (r) => r.id), whys: ranked.map((r) => reason(r.why)), personal };
  }
}
