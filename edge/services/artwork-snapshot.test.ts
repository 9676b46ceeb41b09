// The slimmed snapshot (summaries built on read, standard variants derived, strings shared) must serve
// exactly the summaries the full rows give.
import assert from "node:assert/strict";
import { test } from "node:test";
import { imageKey } from "../../common/bucket/keys.ts";
import type { SnapshotRow } from "../repositories/artwork-snapshot.ts";
import { buildSnapshot } from "./artwork-snapshot.ts";
import { toSummary } from "./views.ts";

const hash = (n: number) => n.toString(16).padStart(64, "0");
const standard = (h: string) => ({ w100: imageKey(h, 100), w250: imageKey(h, 250), w500: imageKey(h, 500) });

function row(id: number, over: Partial<SnapshotRow> = {}): SnapshotRow {
  return {
    id, shopId: "s", shopName: "Shop", title: `w${id}`, artist: "Ann", tags: ["Bird", " sea ", "bird"], category: "c", currency: "EUR",
    minPriceCents: 1000 + id, orientation: "square", imageHash: hash(id), imageWidth: 10, imageHeight: 12, duplicateOf: null,
    imageVariants: standard(hash(id)), sizes: [{ label: "A4", widthCm: 21, heightCm: 29.7, priceCents: 1000 + id }],
    ...over,
  } as SnapshotRow;
}

test("summaries from the slim snapshot equal those of the full rows", () => {
  const rows = [
    row(1),
    row(2, { imageVariants: { ...standard(hash(2)), jpg500: "images/x/jpg500.jpg", original: "images/x/original.png" } }),
    row(3, { imageVariants: { w100: "https://cdn.example/a.webp", w500: "https://cdn.example/b.webp" } }),
    row(4, { imageHash: null, imageVariants: {} }),
    row(5, { imageHash: "not-a-hash", imageVariants: { original: "images/y/original.png" } }),
    row(6, { artist: null, orientation: null, minPriceCents: null }),
  ];
  const snap = buildSnapshot("v", rows.map((r) => structuredClone(r)));
  for (const r of rows) {
    const w = snap.works.get(r.id)!;
    assert.deepEqual(w.summary, toSummary(r), `work ${r.id}`);
    assert.deepEqual(w.summaryWith({ score: 0.5 }), { ...toSummary(r), score: 0.5 });
  }
  assert.deepEqual(snap.works.get(1)!.tags, ["bird", "sea"], "tags normalised and unique");
  assert.equal(snap.works.get(1)!.row.shopName, snap.works.get(2)!.row.shopName);
});

test("the column store: dense and sparse ids, rows rebuilt exactly, shared size tables, duplicates", () => {
  for (const base of [0, 3_000_000_000 / 2]) {
    const sizes = [{ label: "A3", widthCm: 29.7, heightCm: 42, priceCents: 2500, currency: "EUR" }];
    const rows = [
      row(base + 1, { sizes: structuredClone(sizes) }),
      row(base + 2, { sizes: structuredClone(sizes), artist: "Bo", category: null, currency: null }),
      row(base + 3, { duplicateOf: base + 1 }),
      row(base + 4, { duplicateOf: base + 999 }), // its primary is gone: a work of its own again
    ];
    const snap = buildSnapshot("v", rows.map((r) => structuredClone(r)));
    assert.deepEqual([...snap.works.keys()], rows.map((r) => r.id));
    assert.equal(snap.works.size, 4);
    assert.equal(snap.works.get(base + 5), undefined);
    assert.equal(snap.works.has(base + 5), false);
    assert.deepEqual(snap.ids, [base + 1, base + 2, base + 4]);
    assert.deepEqual(snap.offers.get(base + 1), [base + 3]);
    assert.equal(snap.works.get(base + 3)!.duplicateOf, base + 1);
    assert.equal(snap.works.get(base + 4)!.duplicateOf, null);
    const two = snap.works.get(base + 2)!;
    const { tags: _t, imageVariants: _v, ...want } = rows[1]!;
    const { tags: _t2, imageVariants: _v2, ...got } = two.row;
    assert.deepEqual(got, want, "every column comes back as it went in");
    assert.equal(two.artistKey, "bo");
    assert.equal(snap.works.get(base + 1)!.row.sizes, two.row.sizes, "identical size tables are one object");
  }
});
