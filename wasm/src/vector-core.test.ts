// WASM kernels vs the plain-TypeScript reference on seeded random data: exact agreement of ids and scores.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, test } from "node:test";
import { ensureWasmBuilt } from "./build-for-tests.ts";
import { createVectorCore, MAX_K, RowBitmap, VectorCoreError, VectorInputError, type VectorCore } from "./index.ts";
import { compileVectorWasm } from "./load-node.ts";
import { randomRows, randomUnitFloat, randomUnitI8, rng } from "./random-vectors.ts";
import { ReferenceIndex } from "./reference.ts";

let core: VectorCore;
let wasmBytes: Uint8Array<ArrayBuffer>;

before(async () => {
  wasmBytes = new Uint8Array(readFileSync(ensureWasmBuilt()));
  core = await createVectorCore(await compileVectorWasm());
});

describe("build", () => {
  test("vector.wasm is import-free and exports the ABI", () => {
    const mod = new WebAssembly.Module(wasmBytes);
    assert.deepEqual(WebAssembly.Module.imports(mod), []);
    const names = WebAssembly.Module.exports(mod).map((e) => e.name).sort();
    for (const n of ["memory", "abiVersion", "heapBase", "ensureMemory", "searchI8", "scoreRows"]) assert.ok(names.includes(n), n);
  });

  test("instantiates from bytes as well as from a compiled Module", async () => {
    const fromBytes = await createVectorCore(new Uint8Array(wasmBytes));
    const v = randomUnitI8(rng(1), 50, 24);
    const q = randomUnitFloat(rng(2), 24);
    assert.deepEqual(fromBytes.loadIndex(v, 50, 24).search(q, 5), core.loadIndex(v, 50, 24).search(q, 5));
  });

  test("a module without our exports is a clear error", async () => {
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    await assert.rejects(createVectorCore(empty), VectorCoreError);
  });
});

describe("search agrees exactly with the reference", () => {
  const shapes: Array<[count: number, dim: number]> = [[1, 1], [7, 3], [100, 512], [1000, 37], [2000, 100], [333, 16], [500, 15], [257, 33], [64, 1000]];
  for (const [count, dim] of shapes) {
    test(`${count} × ${dim}`, () => {
      const rand = rng(count * 7919 + dim);
      const vectors = randomUnitI8(rand, count, dim);
      const index = core.loadIndex(vectors, count, dim);
      const ref = new ReferenceIndex(vectors, count, dim);
      for (const k of [1, 10, 100, MAX_K, count, count + 5].filter((k) => k <= MAX_K)) {
        const q = randomUnitFloat(rand, dim);
        const hits = index.search(q, k);
        assert.equal(hits.length, Math.min(k, count));
        assert.deepEqual(hits, ref.search(q, k), `k=${k}`);
        for (const h of hits) assert.ok(h.score >= -1 && h.score <= 1);
      }
      // An int8 query is used as given; a stored row finds itself first (cosine ≈ 1).
      const self = vectors.slice(0, dim);
      const top = index.search(self, 3);
      assert.deepEqual(top, ref.search(self, 3));
      // row(r) hands back a copy of the stored row, whatever the padding of the stride.
      for (const r of [0, count - 1]) assert.deepEqual(index.row(r), vectors.slice(r * dim, (r + 1) * dim));
      assert.throws(() => index.row(count), /row/);
      index.dispose();
    });
  }

  test("ties are broken by lower row first", () => {
    // Rows drawn from 4 distinct vectors (plus zero rows): every score is shared by many rows.
    const dim = 40, count = 900;
    const rand = rng(42);
    const protos = randomUnitI8(rand, 4, dim);
    const vectors = new Int8Array(count * dim);
    for (let r = 0; r < count; r++) {
      const p = Math.floor(rand() * 5);
      if (p < 4) vectors.set(protos.subarray(p * dim, (p + 1) * dim), r * dim);
    }
    const index = core.loadIndex(vectors, count, dim);
    const ref = new ReferenceIndex(vectors, count, dim);
    for (const k of [1, 5, 50, 300, 900]) {
      const q = randomUnitFloat(rand, dim);
      const hits = index.search(q, k);
      assert.deepEqual(hits, ref.search(q, k));
      for (let i = 1; i < hits.length; i++) {
        const a = hits[i - 1]!, b = hits[i]!;
        assert.ok(a.score > b.score || (a.score === b.score && a.row < b.row), `order at ${i}`);
      }
    }
    index.dispose();
  });

  test("extreme int8 values (−128…127) at dim 65536 do not overflow", () => {
    const dim = 65536, count = 256;
    const vectors = new Int8Array(count * dim);
    for (let r = 0; r < count; r++) vectors.fill(r - 128, r * dim, (r + 1) * dim);
    const index = core.loadIndex(vectors, count, dim);
    const ref = new ReferenceIndex(vectors, count, dim);
    const q = new Int8Array(dim).fill(-128);
    const hits = index.search(q, 300);
    assert.deepEqual(hits, ref.search(q, 300));
    assert.equal(hits[0]!.row, 0); // (−128)·(−128)·65536 = 2^30: largest, no wrap-around
    assert.equal(hits.at(-1)!.row, 255);
    // Raw scores through score(): row 128 is all zeros → 0, and row 129 (all 1s) · (−128) → −128·65536/127².
    assert.deepEqual(index.score(q, [128, 129]), ref.score(q, [128, 129]));
    index.dispose();
  });

  test("score() gives the cosine of listed rows in order", () => {
    const rand = rng(5);
    const vectors = randomUnitI8(rand, 300, 70);
    const index = core.loadIndex(vectors, 300, 70);
    const ref = new ReferenceIndex(vectors, 300, 70);
    const q = randomUnitFloat(rand, 70);
    const rows = [299, 0, 17, 17, 150];
    assert.deepEqual(index.score(q, rows), ref.score(q, rows));
    assert.deepEqual(index.score(q, []), []);
    const top = index.search(q, 1)[0]!;
    assert.equal(index.score(q, [top.row])[0], top.score);
  });
});

describe("filters", () => {
  const count = 1500, dim = 48;
  const rand = rng(99);
  const vectors = randomUnitI8(rand, count, dim);
  const ref = new ReferenceIndex(vectors, count, dim);

  test("exclude and allow bitmaps, alone and together", () => {
    const index = core.loadIndex(vectors, count, dim);
    for (let i = 0; i < 10; i++) {
      const q = randomUnitFloat(rand, dim);
      const exclude = randomRows(rand, count, 0.3);
      const allow = randomRows(rand, count, i % 2 ? 0.05 : 0.6);
      for (const opts of [{ exclude }, { allow }, { exclude, allow }]) {
        const hits = index.search(q, 40, opts);
        assert.deepEqual(hits, ref.search(q, 40, opts));
        const ex = new Set(opts.exclude ?? []);
        const al = opts.allow ? new Set(opts.allow) : undefined;
        for (const h of hits) assert.ok(!ex.has(h.row) && (!al || al.has(h.row)));
      }
    }
  });

  test("edge cases: empty allow, everything excluded, last partial bitmap word, Set inputs", () => {
    const index = core.loadIndex(vectors, count, dim);
    const q = randomUnitFloat(rand, dim);
    assert.deepEqual(index.search(q, 10, { allow: [] }), []);
    assert.deepEqual(index.search(q, 10, { exclude: Array.from({ length: count }, (_, i) => i) }), []);
    const lastRows = [count - 1, count - 2, count - 33];
    assert.deepEqual(index.search(q, 10, { allow: new Set(lastRows) }), ref.search(q, 10, { allow: lastRows }));
    assert.equal(index.search(q, 10, { allow: lastRows, exclude: [count - 1] }).length, 2);
    assert.throws(() => index.search(q, 10, { allow: new RowBitmap(count + 1) }), /RowBitmap is for 1501 rows, index has 1500/);
    // A filtered search must not leak into the next unfiltered one (scratch bitmaps are reused).
    assert.deepEqual(index.search(q, 20), ref.search(q, 20));
  });

  test("every filter density (sparse and dense kernel paths) and clustered filters", () => {
    const n = 3001; // not a multiple of 32: the last bitmap word is partial
    const vecs = randomUnitI8(rand, n, 24);
    const index = core.loadIndex(vecs, n, 24);
    const r = new ReferenceIndex(vecs, n, 24);
    for (const density of [0.001, 0.01, 0.05, 0.1, 0.124, 0.126, 0.2, 0.5, 0.99]) {
      const q = randomUnitFloat(rand, 24);
      const allow = randomRows(rand, n, density);
      assert.deepEqual(index.search(q, 50, { allow }), r.search(q, 50, { allow }), `allow ${density}`);
      const exclude = randomRows(rand, n, 1 - density);
      assert.deepEqual(index.search(q, 50, { exclude }), r.search(q, 50, { exclude }), `exclude ${1 - density}`);
    }
    const q = randomUnitFloat(rand, 24);
    const blocks = Array.from({ length: n }, (_, i) => i).filter((i) => Math.floor(i / 100) % 7 === 3 || i > n - 5);
    assert.deepEqual(index.search(q, 100, { allow: blocks }), r.search(q, 100, { allow: blocks }));
    index.dispose();
  });

  test("a prebuilt RowBitmap filters like the equivalent row list and is not modified", () => {
    const index = core.loadIndex(vectors, count, dim);
    const exclude = randomRows(rand, count, 0.2), allow = randomRows(rand, count, 0.4);
    const exMap = RowBitmap.from(exclude, count), alMap = RowBitmap.from(allow, count);
    assert.deepEqual([...exMap], exclude);
    assert.equal(exMap.size, exclude.length);
    assert.ok(exMap.has(exclude[0]!) && !exMap.has(-1) && !exMap.has(count));
    const q = randomUnitFloat(rand, dim);
    assert.deepEqual(index.search(q, 30, { exclude: exMap, allow: alMap }), ref.search(q, 30, { exclude, allow }));
    const liked = [allow[0]!, allow[1]!];
    assert.deepEqual(index.searchByExamples(liked, [], 30, { exclude: exMap, allow: alMap }), ref.searchByExamples(liked, [], 30, { exclude, allow }));
    assert.deepEqual([...exMap], exclude, "the caller's bitmap is unchanged");
    assert.throws(() => RowBitmap.from([count], count), VectorInputError);
  });
});

describe("searchByExamples", () => {
  test("agrees with the reference and excludes the examples", () => {
    const count = 2000, dim = 64;
    const rand = rng(7);
    const vectors = randomUnitI8(rand, count, dim);
    const index = core.loadIndex(vectors, count, dim);
    const ref = new ReferenceIndex(vectors, count, dim);
    for (let i = 0; i < 12; i++) {
      const liked = randomRows(rand, count, 0.002 * (i % 4));
      const disliked = randomRows(rand, count, 0.001 * (i % 3));
      if (liked.length + disliked.length === 0) liked.push(i);
      const opts = { lambda: [0.25, 0.5, 1, 2][i % 4]!, ...(i % 3 === 0 ? { exclude: randomRows(rand, count, 0.1) } : {}), ...(i % 5 === 0 ? { allow: randomRows(rand, count, 0.5) } : {}) };
      const hits = index.searchByExamples(liked, disliked, 25, opts);
      assert.deepEqual(hits, ref.searchByExamples(liked, disliked, 25, opts));
      const examples = new Set([...liked, ...disliked]);
      for (const h of hits) assert.ok(!examples.has(h.row));
    }
    // Only dislikes: search away from them. λ = 0 ignores dislikes, and the liked mean alone is used.
    assert.deepEqual(index.searchByExamples([], [5, 6], 10), ref.searchByExamples([], [5, 6], 10));
    assert.deepEqual(index.searchByExamples([1, 2], [5, 6], 10, { lambda: 0 }), ref.searchByExamples([1, 2], [5, 6], 10, { lambda: 0 }));
    assert.deepEqual(index.searchByExamples([1, 2], [5, 6], 10, { lambda: 0 }).map((h) => h.row), index.searchByExamples([1, 2], [], 10, { exclude: [5, 6] }).map((h) => h.row));
  });

  test("one liked row behaves like searching with that row, minus itself", () => {
    const count = 400, dim = 32;
    const vectors = randomUnitI8(rng(8), count, dim);
    const index = core.loadIndex(vectors, count, dim);
    const viaExamples = index.searchByExamples([10], [], 10);
    const row10 = vectors.slice(10 * dim, 11 * dim);
    assert.deepEqual(viaExamples.map((h) => h.row), index.search(new Float32Array(row10), 10, { exclude: [10] }).map((h) => h.row));
  });
});

describe("memory", () => {
  test("N = 0 and k > N", () => {
    const empty = core.loadIndex(new Int8Array(0), 0, 16);
    assert.deepEqual(empty.search(new Float32Array(16).fill(1), 10), []);
    const small = core.loadIndex(randomUnitI8(rng(3), 3, 16), 3, 16);
    assert.equal(small.search(new Float32Array(16).fill(1), 1000).length, 3);
    assert.deepEqual(small.search(new Float32Array(16).fill(1), 0), []);
  });

  test("indices survive memory growth and disposed space is reused", () => {
    const rand = rng(11);
    const a = randomUnitI8(rand, 500, 100);
    const ia = core.loadIndex(a, 500, 100);
    const q = randomUnitFloat(rand, 100);
    const before = ia.search(q, 10);
    const big = core.loadIndex(new Int8Array(40_000 * 512), 40_000, 512); // ~20 MB: forces growth
    assert.deepEqual(ia.search(q, 10), before);
    const grown = core.memoryBytes;
    big.dispose();
    const again = core.loadIndex(new Int8Array(40_000 * 512), 40_000, 512);
    assert.equal(core.memoryBytes, grown, "freed block reused, no further growth");
    assert.deepEqual(ia.search(q, 10), new ReferenceIndex(a, 500, 100).search(q, 10));
    again.dispose();
    ia.dispose();
    assert.throws(() => ia.search(q, 10), VectorCoreError);
  });
});

describe("invalid input is a clear VectorInputError", () => {
  const dim = 20;
  const vectors = randomUnitI8(rng(4), 50, dim);
  const bad: Array<[string, () => unknown]> = [
    ["vectors length", () => core.loadIndex(vectors, 51, dim)],
    ["dim 0", () => core.loadIndex(new Int8Array(0), 0, 0)],
    ["dim too large", () => core.loadIndex(new Int8Array(0), 0, 70_000)],
    ["negative count", () => core.loadIndex(vectors, -1, dim)],
    ["fractional count", () => core.loadIndex(vectors, 2.5, dim)],
    ["not Int8Array", () => core.loadIndex(new Uint8Array(1000) as unknown as Int8Array, 50, dim)],
  ];
  for (const [what, fn] of bad) test(what, () => assert.throws(fn, VectorInputError));

  test("query, k, filters, examples", () => {
    const index = core.loadIndex(vectors, 50, dim);
    const q = randomUnitFloat(rng(6), dim);
    const cases: Array<[string, () => unknown, RegExp]> = [
      ["short query", () => index.search(new Float32Array(dim - 1), 5), /19 dims, index has 20/],
      ["long int8 query", () => index.search(new Int8Array(dim + 1), 5), /21 dims/],
      ["NaN query", () => index.search(new Float32Array(dim).fill(NaN), 5), /finite/],
      ["zero query", () => index.search(new Float32Array(dim), 5), /zero length/],
      ["array query", () => index.search([1, 2] as unknown as Float32Array, 5), /Float32Array or an Int8Array/],
      ["k negative", () => index.search(q, -1), /k must be/],
      ["k fractional", () => index.search(q, 1.5), /k must be/],
      ["k too large", () => index.search(q, MAX_K + 1), /k must be/],
      ["k NaN", () => index.search(q, NaN), /k must be/],
      ["exclude out of range", () => index.search(q, 5, { exclude: [50] }), /exclude: row 50/],
      ["allow negative", () => index.search(q, 5, { allow: [-1] }), /allow: row -1/],
      ["allow not iterable", () => index.search(q, 5, { allow: 7 as unknown as number[] }), /iterable/],
      ["exclude non-integer", () => index.search(q, 5, { exclude: [1.5] }), /exclude: row 1.5/],
      ["no examples", () => index.searchByExamples([], [], 5), /at least one/],
      ["liked out of range", () => index.searchByExamples([99], [], 5), /liked: row 99/],
      ["disliked not integer", () => index.searchByExamples([1], ["2" as unknown as number], 5), /disliked: row 2/],
      ["negative lambda", () => index.searchByExamples([1], [2], 5, { lambda: -1 }), /lambda/],
      ["examples cancel out", () => index.searchByExamples([3], [3], 5, { lambda: 1 }), /zero length/],
      ["score rows out of range", () => index.score(q, [50]), /rows: row 50/],
    ];
    for (const [what, fn, message] of cases) assert.throws(fn, (err: unknown) => err instanceof VectorInputError && message.test(err.message), what);
  });
});
