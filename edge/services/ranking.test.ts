// The ranker on a small hand-made catalogue (no vectors: tags, clusters and neighbours only).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { SnapshotRow } from "../repositories/artwork-snapshot.ts";
import { buildArtworkModel } from "./artwork-model.ts";
import { buildSnapshot } from "./artwork-snapshot.ts";
import { mulberry32 } from "../../common/random.ts";
import { diversify, jitter, rankCold, rankPersonal, sortByScore } from "./ranking.ts";

const CATS = ["birds", "boats", "fruit"] as const;
const TAGS: Record<(typeof CATS)[number], string[]> = { birds: ["bird", "wing", "feather"], boats: ["boat", "sea", "sail"], fruit: ["fruit", "apple", "pear"] };

function row(id: number): SnapshotRow {
  const cat = CATS[id % 3]!;
  return {
    id, shopId: "s", shopName: "Shop", title: `${cat} ${id}`, artist: `artist ${id % 7}`, tags: [TAGS[cat][id % 3]!, TAGS[cat][(id + 1) % 3]!, "print"],
    category: cat, sizes: [], currency: "EUR", minPriceCents: 1000, orientation: "square", imageHash: null, imageWidth: 10, imageHeight: 10, imageVariants: {}, duplicateOf: null,
  };
}

const model = buildArtworkModel(buildSnapshot("v1", Array.from({ length: 90 }, (_, i) => row(i + 1))), null, null);
const base = { model, index: null, exposures: new Map<number, number>(), searches: [], seed: 7, perArtist: 2, pageSize: 10 };

test("likes pull their category; liked works are not returned; reasons name a liked work", () => {
  const liked = [3, 6, 9]; // ids ≡ 0 mod 3 → "birds"
  const ranked = rankPersonal({ ...base, liked, disliked: [], exclude: new Set(liked) });
  const top = ranked.slice(0, 20);
  assert.ok(top.every((r) => r.id % 3 === 0), JSON.stringify(top.map((r) => r.id)));
  assert.ok(top.every((r) => !liked.includes(r.id)));
  assert.ok(top.every((r) => r.why.kind === "liked" && liked.includes(r.why.artworkId)));
});

test("dislikes push: a disliked category ranks below a liked one", () => {
  const ranked = rankPersonal({ ...base, liked: [1, 4], disliked: [2, 5], exclude: new Set([1, 2, 4, 5]) });
  const pos = (pred: (id: number) => boolean) => ranked.findIndex((r) => pred(r.id));
  assert.ok(pos((id) => id % 3 === 2) === -1 || pos((id) => id % 3 === 1) < pos((id) => id % 3 === 2));
});

test("exposure penalty moves seen works down", () => {
  const liked = [3, 6, 9];
  const first = rankPersonal({ ...base, liked, disliked: [], exclude: new Set(liked) });
  const seen = first[0]!.id;
  const again = rankPersonal({ ...base, liked, disliked: [], exclude: new Set(liked), exposures: new Map([[seen, 5]]) });
  assert.ok(again.findIndex((r) => r.id === seen) > 0);
});

test("at most perArtist works per artist in every page window; same input, same order", () => {
  const ranked = rankPersonal({ ...base, liked: [3, 6, 9], disliked: [], exclude: new Set([3, 6, 9]) });
  for (let p = 0; p + 10 <= ranked.length; p += 10) {
    const counts = new Map<string, number>();
    for (const r of ranked.slice(p, p + 10)) {
      const a = model.snapshot.works.get(r.id)!.artistKey;
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    // 7 artists: a full page of 10 under a cap of 2 is always possible while enough remain.
    if (p + 20 <= ranked.length) assert.ok([...counts.values()].every((n) => n <= 2), `page at ${p}`);
  }
  assert.deepEqual(rankPersonal({ ...base, liked: [3, 6, 9], disliked: [], exclude: new Set([3, 6, 9]) }).map((r) => r.id), ranked.map((r) => r.id));
  const items = ranked.map((r) => ({ ...r }));
  assert.equal(new Set(diversify(items, model, 1, 5).map((r) => r.id)).size, items.length, "diversify keeps every item once");
});

test("cold start: curated mix over every cluster, seeded", () => {
  const cold = rankCold({ ...base, exclude: new Set() });
  assert.deepEqual(new Set(cold.slice(0, 3).map((r) => model.clusterOf.get(r.id))).size, 3);
  assert.ok(cold.every((r) => r.why.kind === "curated"));
  assert.notDeepEqual(rankCold({ ...base, seed: 8, exclude: new Set() }).map((r) => r.id).slice(0, 6), cold.map((r) => r.id).slice(0, 6));
  assert.ok(jitter(1, 2) >= 0 && jitter(1, 2) < 1);
});

test("sortByScore: score descending, ties by id ascending, same as a comparator sort", () => {
  const rand = mulberry32(11);
  for (const n of [0, 1, 2, 7, 64, 513]) {
    const score = Float64Array.from({ length: n }, () => Math.round(rand() * 20) / 4); // many exact ties
    const ids = Array.from({ length: n }, () => Math.floor(rand() * 1e6));
    const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || ids[a]! - ids[b]! || a - b);
    assert.deepEqual(Array.from(sortByScore(score, ids)), want, `n = ${n}`);
  }
});
