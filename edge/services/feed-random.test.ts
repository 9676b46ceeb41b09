import assert from "node:assert/strict";
import { test } from "node:test";
import { mulberry32 } from "../../common/random.ts";
import { randomPage } from "./feed-random.ts";
import { jitter32 } from "./ranking.ts";

/** Reference: the whole catalogue sorted by (hash, id). */
const fullOrder = (ids: number[], seed: number) => [...ids].sort((a, b) => jitter32(seed, a) - jitter32(seed, b) || a - b);

test("walking pages by cursor gives exactly the full seeded order, for any page size", () => {
  const rand = mulberry32(3);
  const ids = Array.from({ length: 2000 }, (_, i) => i * 3 + 1 + Math.floor(rand() * 2));
  for (const [seed, limit] of [[0, 24], [7, 1], [123456, 100], [0x7fffffff, 37]] as const) {
    const walked: number[] = [];
    let after: { h: number; id: number } | null = null;
    for (;;) {
      const p = randomPage(ids, seed, after, limit);
      assert.ok(p.ids.length <= limit);
      walked.push(...p.ids);
      if (!p.more) break;
      assert.equal(p.ids.length, limit, "only the last page is short");
      after = { h: p.keys.at(-1)!, id: p.ids.at(-1)! };
    }
    assert.deepEqual(walked, fullOrder(ids, seed), `seed ${seed}, limit ${limit}`);
  }
});

test("works added or removed between pages are never repeated and never make another skip", () => {
  const ids = Array.from({ length: 500 }, (_, i) => i + 1);
  const first = randomPage(ids, 9, null, 50);
  const changed = [...ids.filter((id) => !first.ids.slice(0, 10).includes(id) && id % 7 !== 0), 1001, 1002, 1003];
  const second = randomPage(changed, 9, { h: first.keys.at(-1)!, id: first.ids.at(-1)! }, 50);
  assert.equal(new Set([...first.ids, ...second.ids]).size, 100, "no repeats");
  const order = fullOrder(changed, 9);
  const start = order.findIndex((id) => !first.ids.includes(id) && (jitter32(9, id) > first.keys.at(-1)! || (jitter32(9, id) === first.keys.at(-1)! && id > first.ids.at(-1)!)));
  assert.deepEqual(second.ids, order.slice(start, start + 50), "continues exactly where the first page ended");
});
