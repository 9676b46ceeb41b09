import assert from "node:assert/strict";
import { test } from "node:test";
import type { SnapshotRow } from "../repositories/artwork-snapshot.ts";
import { buildArtworkModel } from "./artwork-model.ts";
import { buildSnapshot } from "./artwork-snapshot.ts";
import { NONE } from "./work-features.ts";

const row = (id: number, tags: string[], artist: string | null, duplicateOf: number | null = null): SnapshotRow => ({
  id, shopId: "s", shopName: "Shop", title: `w${id}`, artist, tags, category: id % 2 ? "odd" : "even", sizes: [], currency: "EUR",
  minPriceCents: 1000, orientation: "square", imageHash: null, imageWidth: 10, imageHeight: 10, imageVariants: {}, duplicateOf,
});

/** The definition the ranker documents: Σ idf(common) / Σ idf(union). */
function referenceOverlap(idf: (t: string) => number, a: string[], b: string[]): number {
  const inter = a.filter((t) => b.includes(t)).reduce((s, t) => s + idf(t), 0);
  const union = [...new Set([...a, ...b])].reduce((s, t) => s + idf(t), 0);
  return a.length && b.length && union > 0 ? inter / union : 0;
}

for (const [name, base] of [["dense ids", 1], ["sparse ids", 1_000_000_000]] as const) {
  test(`features (${name}): ordinals, clusters, artists and idf-weighted tag overlap agree with the model`, () => {
    const rows = [
      row(base + 1, ["bird", "sea", "blue"], "Ann"),
      row(base + 2, ["sea", "boat"], "ann "),
      row(base + 3, ["bird", "tree", "blue", "sky"], null),
      row(base + 4, [], "Bo"),
      row(base + 5, ["sea", "bird"], "Bo", base + 1), // a duplicate listing: known, but not browsable
    ];
    const model = buildArtworkModel(buildSnapshot("v", rows), null, null);
    const f = model.features();
    assert.equal(f.ordinal(base + 99), NONE);
    assert.equal(f.ordinal(-1), NONE);
    for (const r of rows) {
      const o = f.ordinal(r.id);
      assert.notEqual(o, NONE);
      assert.equal(f.cluster[o], model.clusterOf.get(r.id) ?? NONE);
    }
    assert.equal(f.cluster[f.ordinal(base + 5)], NONE);
    assert.equal(f.artist[f.ordinal(base + 1)], f.artist[f.ordinal(base + 2)], "artist key is case- and space-insensitive");
    assert.equal(f.artist[f.ordinal(base + 3)], 0, "unknown artist");
    for (const a of rows) {
      for (const b of rows) {
        const want = referenceOverlap(model.idf, model.snapshot.works.get(a.id)!.tags, model.snapshot.works.get(b.id)!.tags);
        assert.ok(Math.abs(f.tagOverlap(f.ordinal(a.id), f.ordinal(b.id)) - want) < 1e-12, `${a.id}~${b.id}`);
      }
    }
  });
}
