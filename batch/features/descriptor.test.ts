import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { DESCRIPTOR_DIM, describeImage } from "./descriptor.ts";
import { exactTopK, NO_NEIGHBOUR } from "./neighbours.ts";

const CORPUS = fileURLToPath(new URL("../../test/fixtures/corpus/openclipart/images/", import.meta.url));
const files = (await readdir(CORPUS)).filter((f) => f.endsWith(".webp")).sort();
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

test("descriptor is deterministic, unit length, fixed dimension", async () => {
  const bytes = await readFile(CORPUS + files[0]);
  const a = await describeImage(bytes);
  const b = await describeImage(new Uint8Array(bytes));
  assert.equal(a.length, DESCRIPTOR_DIM);
  assert.equal(DESCRIPTOR_DIM % 16, 0);
  assert.deepEqual([...a], [...b]);
  assert.ok(Math.abs(Math.sqrt(dot(a, a)) - 1) < 1e-5);
  assert.ok(a.every((x) => Number.isFinite(x)));
});

test("a re-rendered or slightly resized image finds its source as nearest neighbour", async () => {
  const sample = files.filter((_, i) => i % 4 === 0).slice(0, 60);
  const base = await Promise.all(sample.map(async (f) => describeImage(await readFile(CORPUS + f))));
  const probes = sample.filter((_, i) => i % 6 === 0);
  let hits = 0;
  for (const f of probes) {
    const src = await readFile(CORPUS + f);
    const meta = await sharp(src).metadata();
    const variants = [
      await sharp(src).resize({ width: Math.round(meta.width! * 0.6) }).png().toBuffer(), // re-render smaller
      await sharp(src).resize({ width: Math.round(meta.width! * 0.9) }).jpeg({ quality: 80 }).toBuffer(), // resized, lossy
    ];
    for (const v of variants) {
      const q = await describeImage(v);
      const scores = base.map((b) => dot(q, b));
      const best = scores.indexOf(Math.max(...scores));
      if (sample[best] === f) hits++;
    }
  }
  assert.equal(hits, probes.length * 2, `nearest neighbour was the source for ${hits}/${probes.length * 2} probes`);
});

test("exact top-K: sorted, self and same-hash duplicates excluded, padded when short", () => {
  const dim = 2;
  const v = new Float32Array([1, 0, 0.8, 0.6, 0.6, 0.8, 1, 0, 0, 1]);
  const hashes = ["a", "b", "c", "a", "e"];
  const t = exactTopK(v, dim, hashes, 4);
  const row0 = [...t.index.subarray(0, 4)];
  assert.deepEqual(row0, [1, 2, 4, NO_NEIGHBOUR]); // row 3 is the same image as row 0
  assert.ok(t.score[0]! >= t.score[1]! && t.score[1]! >= t.score[2]!);
  for (let r = 0; r < 5; r++) assert.ok(![...t.index.subarray(r * 4, r * 4 + 4)].includes(r));
});

test("a mirrored image has the same descriptor", async () => {
  const src = await readFile(CORPUS + files[5]);
  const a = await describeImage(src);
  const b = await describeImage(await sharp(src).flop().png().toBuffer());
  assert.ok(dot(a, b) > 0.99, `cosine ${dot(a, b)}`); // not exactly 1: resampling is not perfectly symmetric
});
