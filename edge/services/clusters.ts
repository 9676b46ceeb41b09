// /api/clusters (list with covers), /api/clusters/:id (members nearest the centroid first) and the
// vibes: /api/vibes lists named moods, each a set of clusters with representative works.
import { z } from "zod";
import type { ClusterResponse, ClustersResponse, Vibe, VibeResponse, VibesResponse } from "../../common/api-reads.ts";
import { notFound } from "../errors.ts";
import type { ArtworkModel, Cluster } from "./artwork-model.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { clusterInfo } from "./explore.ts";
import { summaries } from "./feed-paging.ts";

const Offset = z.object({ o: z.number().int().positive().max(1_000_000) });
const VIBES = 9;
const slug = (s: string) => s.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "vibe";

/** Vibes: the largest clusters, each named by its label, with its most typical works. */
function vibesOf(model: ArtworkModel): Array<Omit<Vibe, "items"> & { members: number[] }> {
  const used = new Set<string>();
  const unique = (name: string, n: number) => {
    let id = slug(name);
    while (used.has(id)) id += `-${n}`;
    used.add(id);
    return id;
  };
  if (model.vibes) {
    // The batch's vibes: representative works first, then their clusters' members interleaved.
    return model.vibes.map((v, i) => {
      const seen = new Set(v.members);
      const members = [...v.members];
      const lists = v.clusters.map((c) => model.clusters[c]?.members ?? []);
      for (let j = 0; lists.some((l) => j < l.length); j++) for (const l of lists) if (l[j] !== undefined && !seen.has(l[j]!)) (seen.add(l[j]!), members.push(l[j]!));
      return { id: unique(v.name, i), name: v.name, tagline: v.tagline, tags: v.tags, clusters: v.clusters, members };
    });
  }
  return [...model.clusters]
    .filter((c) => c.members.length > 0)
    .sort((a, b) => b.members.length - a.members.length || a.id - b.id)
    .slice(0, VIBES)
    .map((c) => {
      const id = unique(c.label, c.id);
      return { id, name: c.label, tagline: c.tags.slice(0, 3).join(" · "), tags: c.tags, clusters: [c.id], members: c.members };
    });
}

export class ClustersService {
  constructor(private readonly models: ArtworkModelStore) {}

  async list(cursor: string | undefined, limit: number): Promise<ClustersResponse> {
    const model = await this.models.current();
    const offset = cursor ? decodeCursor("clusters", Offset, cursor).o : 0;
    const page = model.clusters.slice(offset, offset + limit);
    const end = offset + page.length;
    return {
      source: model.clusterSource,
      items: page.map((c) => ({ ...clusterInfo(c), cover: summaries(model, c.members.slice(0, 4)) })),
      next: end < model.clusters.length ? encodeCursor("clusters", { o: end }) : null,
    };
  }

  async cluster(id: number, cursor: string | undefined, limit: number): Promise<ClusterResponse> {
    const model = await this.models.current();
    const cluster: Cluster | undefined = model.clusters[id];
    if (!cluster) throw notFound("cluster_not_found", `no cluster with id ${id}`);
    const offset = cursor ? decodeCursor(`cluster${id}`, Offset, cursor).o : 0;
    const page = cluster.members.slice(offset, offset + limit);
    const end = offset + page.length;
    return { cluster: clusterInfo(cluster), items: summaries(model, page), next: end < cluster.members.length ? encodeCursor(`cluster${id}`, { o: end }) : null };
  }

  async vibes(): Promise<VibesResponse> {
    const model = await this.models.current();
    return { vibes: vibesOf(model).map(({ members, ...v }) => ({ ...v, items: summaries(model, members.slice(0, 4)) })) };
  }

  async vibe(id: string, cursor: string | undefined, limit: number): Promise<VibeResponse> {
    const model = await this.models.current();
    const v = vibesOf(model).find((x) => x.id === id || x.name.toLowerCase() === id.trim().toLowerCase());
    if (!v) throw notFound("vibe_not_found", `no vibe ${JSON.stringify(id)}`);
    const offset = cursor ? decodeCursor(`vibe:${v.id}`, Offset, cursor).o : 0;
    const page = v.members.slice(offset, offset + limit);
    const end = offset + page.length;
    const { members, ...vibe } = v;
    return { vibe, items: summaries(model, page), next: end < members.length ? encodeCursor(`vibe:${v.id}`, { o: end }) : null };
  }
}
