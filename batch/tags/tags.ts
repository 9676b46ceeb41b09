// Tags stage. Input: active artworks' raw tags (DB) + the normalisation rules in pipeline.yaml.
// Output: the `tags` and `artwork_tags` tables (replaced in one transaction) and
// stages/tags/<hash>/tags.json — vocabulary with counts, TF-IDF and weighted scores, the reverse
// index tag → works in rank order, and display tags per work.
import { z } from "zod";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";
import { artworkTags, artworks, tags as tagsTable } from "../../common/db/schema.ts";
import { notDuplicateOfActive } from "../../common/db/browsable.ts";
import { defineStage } from "../pipeline-stage.ts";
import { hashInputs, markLatest, readDone, writeStageOutput } from "../pipeline-outputs.ts";
import type { TagRules } from "../pipeline-config.ts";
import { createNormaliser, tagLabel } from "./normalise.ts";
import { scoreTags, type TagStat } from "./scores.ts";

export const TagsParams = z
  .object({
    maxFeatures: z.number().int().min(1).default(1000),
    /** A tag must be on at least this many works to be shown on a work (the original used 10). */
    minCountForDisplay: z.number().int().min(1).default(2),
    displayTags: z.number().int().min(0).max(50).default(5),
    /** Tags on fewer works than this get −5 in the weighted score (the original's 500). */
    popularCount: z.number().int().min(0).default(500),
  })
  .strict();
export type TagsParams = z.infer<typeof TagsParams>;

/** tags.json: what the export turns into the artifact's tags.json (ids there become row numbers). */
export interface TagsOutput {
  tags: Array<{ name: string; label: string; count: number; score: number; weightedScore: number; inVocabulary: boolean; works: number[] }>;
  /** Artwork id → display tag names (best first). */
  display: Record<string, string[]>;
  /** Artwork id → [tag index, tf-idf] pairs over the vocabulary (clusters use them). */
  tfidf: Record<string, Array<[number, number]>>;
}

export function buildTags(works: Array<{ id: number; tags: string[] }>, rules: TagRules, p: TagsParams): TagsOutput {
  const norm = createNormaliser(rules);
  const docs = works.map((w) => [...new Set(w.tags.map(norm).filter((t): t is string => t !== null))]);
  const s = scoreTags(docs, { maxFeatures: p.maxFeatures, popularCount: p.popularCount });
  // Reverse index in rank order: works where the tag weighs most first, then by id.
  const members: Array<Array<[number, number]>> = s.tags.map(() => []);
  s.works.forEach((pairs, w) => {
    for (const [t, v] of pairs) members[t]!.push([works[w]!.id, v]);
  });
  // Tags outside the vocabulary still get a reverse index (weight 0), so browsing by any tag works.
  const indexOf = new Map(s.tags.map((t, i) => [t.name, i]));
  docs.forEach((d, w) => {
    for (const t of d) {
      const i = indexOf.get(t);
      if (i !== undefined && !s.tags[i]!.inVocabulary) members[i]!.push([works[w]!.id, 0]);
    }
  });
  const display: Record<string, string[]> = {};
  const tfidf: Record<string, Array<[number, number]>> = {};
  const byName = new Map<string, TagStat>(s.tags.map((t) => [t.name, t]));
  works.forEach((w, i) => {
    tfidf[w.id] = s.works[i]!.map(([t, v]) => [t, round(v)]);
    display[w.id] = docs[i]!
      .map((t) => byName.get(t)!)
      .filter((t) => t.inVocabulary && t.count >= p.minCountForDisplay)
      // Most distinctive-and-common first (the original sorted ascending, showing its weakest tags).
      .sort((a, b) => b.weightedScore - a.weightedScore || (a.name < b.name ? -1 : 1))
      .slice(0, p.displayTags)
      .map((t) => t.name);
  });
  return {
    tags: s.tags.map((t, i) => ({ name: t.name, label: tagLabel(t.name), count: t.count, score: round(t.score), weightedScore: round(t.weightedScore), inVocabulary: t.inVocabulary, works: members[i]!.sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id) })),
    display,
    tfidf,
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Replaces the tags and artwork_tags tables with this output, in one transaction. */
export async function writeTagTables(db: Db, out: TagsOutput): Promise<void> {
  const tagRows = out.tags.map((t) => ({ name: t.name, label: t.label, count: t.count, score: t.score, weightedScore: t.weightedScore }));
  const links: Array<{ artworkId: number; tag: string; score: number }> = [];
  for (const [id, pairs] of Object.entries(out.tfidf)) for (const [t, v] of pairs) links.push({ artworkId: Number(id), tag: out.tags[t]!.name, score: v });
  // Tags outside the vocabulary are linked with score 0.
  const linked = new Set(links.map((l) => `${l.artworkId}|${l.tag}`));
  for (const t of out.tags) if (!t.inVocabulary) for (const id of t.works) if (!linked.has(`${id}|${t.name}`)) links.push({ artworkId: id, tag: t.name, score: 0 });
  await db.transaction(async (tx) => {
    await tx.delete(artworkTags);
    await tx.delete(tagsTable);
    for (let i = 0; i < tagRows.length; i += 500) await tx.insert(tagsTable).values(tagRows.slice(i, i + 500));
    for (let i = 0; i < links.length; i += 500) await tx.insert(artworkTags).values(links.slice(i, i + 500));
  });
}

export const tagsStage = defineStage({
  module: "tags",
  inputs: ["DB: active artworks (id, tags)", "pipeline.yaml tags: synonyms, junk, keepPlural"],
  outputs: ["DB: tags, artwork_tags", "stages/tags/<hash>/tags.json"],
  params: TagsParams,
  async run(ctx, p, stage) {
    const t0 = Date.now();
    const log = ctx.log.child({ stage });
    const works = await ctx.db.select({ id: artworks.id, tags: artworks.tags }).from(artworks).where(and(eq(artworks.status, "active"), notDuplicateOfActive)).orderBy(asc(artworks.id)); // duplicate listings are offers, not works
    const inputHash = await hashInputs([stage, p, ctx.pipeline.tags, works.map((w) => [w.id, w.tags])]);
    const cached = Boolean(await readDone(ctx.bucket, stage, inputHash));
    let out: TagsOutput | null = null;
    if (cached) await markLatest(ctx.bucket, stage, inputHash);
    else {
      out = buildTags(works, ctx.pipeline.tags, p);
      await writeTagTables(ctx.db, out);
      await writeStageOutput(ctx.bucket, stage, inputHash, { "tags.json": JSON.stringify(out) }, { works: works.length, tags: out.tags.length });
      ctx.memo.set(`tags:${inputHash}`, out);
    }
    const stats = { works: works.length, tags: out?.tags.length ?? null, vocabulary: out?.tags.filter((t) => t.inVocabulary).length ?? null, cached, ms: Date.now() - t0 };
    log.info("tags finished", stats);
    return { inputHash, cached, stats };
  },
});

if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("tags"));
