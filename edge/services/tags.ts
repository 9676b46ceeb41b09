// /api/tags (scored tag list) and /api/tags/:tags (works of one or several tags, interleaved
// round-robin so every tag is represented on each page; most typical works of each tag first).
import { z } from "zod";
import type { TagInfo, TagsResponse, TagWorksResponse } from "../../common/api-reads.ts";
import { badRequest, notFound } from "../errors.ts";
import type { ArtworkModel, TagEntry } from "./artwork-model.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { shortHash, summaries } from "./feed-paging.ts";

const Offset = z.object({ o: z.number().int().positive().max(1_000_000), h: z.string().max(16) });
const label = (name: string) => name.replace(/(^|[\s-])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase());

export function tagInfo(t: TagEntry): TagInfo {
  return { name: t.name, label: t.label ?? label(t.name), count: t.count, score: t.score };
}

export class TagsService {
  private interleaved = new Map<string, number[]>();

  constructor(private readonly models: ArtworkModelStore) {}

  async list(prefix: string | undefined, minCount: number, cursor: string | undefined, limit: number): Promise<TagsResponse> {
    const model = await this.models.current();
    const h = shortHash(`${prefix ?? ""}|${minCount}`);
    const offset = cursor ? this.offset("tags", cursor, h) : 0;
    const all = model.tagList.filter((t) => t.count >= minCount && (!prefix || t.name.startsWith(prefix)));
    const page = all.slice(offset, offset + limit);
    const end = offset + page.length;
    return { items: page.map(tagInfo), next: end < all.length ? encodeCursor("tags", { o: end, h }) : null };
  }

  async works(names: string[], cursor: string | undefined, limit: number): Promise<TagWorksResponse> {
    const model = await this.models.current();
    const entries = names.map((n) => model.tags.get(n));
    const missing = names.filter((_, i) => !entries[i]);
    if (missing.length === names.length) throw notFound("tag_not_found", `no works tagged ${missing.map((m) => JSON.stringify(m)).join(", ")}`);
    const found = entries.filter((e): e is TagEntry => !!e);
    const h = shortHash(names.join("|"));
    const offset = cursor ? this.offset("tagworks", cursor, h) : 0;
    const ids = this.interleave(model, found);
    const page = ids.slice(offset, offset + limit);
    const end = offset + page.length;
    return { tags: found.map(tagInfo), items: summaries(model, page), next: end < ids.length ? encodeCursor("tagworks", { o: end, h }) : null };
  }

  private offset(kind: string, cursor: string, h: string): number {
    const c = decodeCursor(kind, Offset, cursor);
    if (c.h !== h) throw badRequest("invalid_cursor", "cursor belongs to another list; start again without one");
    return c.o;
  }

  private interleave(model: ArtworkModel, entries: TagEntry[]): number[] {
    const key = `${model.key}|${entries.map((e) => e.name).join("|")}`;
    let ids = this.interleaved.get(key);
    if (!ids) {
      const seen = new Set<number>();
      ids = [];
      const longest = Math.max(...entries.map((e) => e.ids.length));
      for (let i = 0; i < longest; i++) {
        for (const e of entries) {
          const id = e.ids[i];
          if (id !== undefined && !seen.has(id)) (seen.add(id), ids.push(id));
        }
      }
      if (this.interleaved.size >= 256) this.interleaved.clear();
      this.interleaved.set(key, ids);
    }
    return ids;
  }
}

