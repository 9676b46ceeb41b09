// /api/feed/explore, the taste finder: one unseen cluster at a time (a seeded order per session),
// its works nearest the centroid first; "seen" = clusters the client lists plus those of works the
// session already liked, disliked or skipped. Ends cleanly (done: true) when every cluster is seen.
import { z } from "zod";
import type { ClusterInfo, ExploreResponse } from "../../common/api-reads.ts";
import { badRequest } from "../errors.ts";
import type { ArtworkSignalsRepository } from "../repositories/artwork-signals.ts";
import type { Cluster } from "./artwork-model.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { seedOf, summaries } from "./feed-paging.ts";
import { jitter } from "./ranking.ts";

const Cursor = z.object({ c: z.number().int().min(0), o: z.number().int().positive().max(100_000) });

export function clusterInfo(c: Cluster): ClusterInfo {
  return { id: c.id, label: c.label, size: c.members.length, tags: c.tags };
}

export class ExploreService {
  constructor(
    private readonly models: ArtworkModelStore,
    private readonly signals: ArtworkSignalsRepository,
  ) {}

  async next(session: { id: string; userId: string | null } | null, seen: number[], seed: number | undefined, cursor: string | undefined, limit: number): Promise<ExploreResponse> {
    const model = await this.models.current();
    if (cursor) {
      // More works of the cluster being shown.
      const c = decodeCursor("explore", Cursor, cursor);
      const cluster = model.clusters[c.c];
      if (!cluster) throw badRequest("invalid_cursor", "cursor names a cluster that no longer exists; start again");
      const page = cluster.members.slice(c.o, c.o + limit);
      const end = c.o + page.length;
      const remaining = model.clusters.length - new Set([...seen, cluster.id]).size;
      return { cluster: clusterInfo(cluster), items: summaries(model, page), next: end < cluster.members.length ? encodeCursor("explore", { c: cluster.id, o: end }) : null, remaining: Math.max(0, remaining), done: false };
    }
    const seenSet = new Set(seen);
    if (session) {
      const taste = await this.signals.taste(session.id, session.userId);
      for (const id of [...taste.liked, ...taste.disliked, ...taste.skipped]) {
        const cl = model.clusterOf.get(id);
        if (cl !== undefined) seenSet.add(cl);
      }
    }
    const s = seed ?? seedOf(session?.id ?? "anonymous");
    const unseen = model.clusters.filter((c) => !seenSet.has(c.id) && c.members.length > 0).sort((a, b) => jitter(s, a.id) - jitter(s, b.id) || a.id - b.id);
    const cluster = unseen[0];
    if (!cluster) return { cluster: null, items: [], next: null, remaining: 0, done: true };
    const page = cluster.members.slice(0, limit);
    return {
      cluster: clusterInfo(cluster),
      items: summaries(model, page),
      next: page.length < cluster.members.length ? encodeCursor("explore", { c: cluster.id, o: page.length }) : null,
      remaining: unseen.length - 1,
      done: false,
    };
  }
}
