// The linear-memory allocator on its own: alignment, reuse, coalescing, growth and its failure.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Arena } from "./arena.ts";
import { VectorCoreError } from "./errors.ts";

test("allocates 64-byte aligned blocks above the base, never at offset 0", () => {
  const grownTo: number[] = [];
  const arena = new Arena(0, (end) => (grownTo.push(end), true));
  const a = arena.alloc(1), b = arena.alloc(100);
  assert.equal(a, 64);
  assert.equal(b, 128);
  assert.deepEqual(grownTo, [128, 256]);
});

test("freed blocks are reused first-fit and coalesce with neighbours and the top", () => {
  const arena = new Arena(1024, () => true);
  const a = arena.alloc(64), b = arena.alloc(64), c = arena.alloc(64), d = arena.alloc(64);
  arena.release(a, 64);
  arena.release(c, 64);
  assert.equal(arena.alloc(128), d + 64, "no 128-byte hole yet");
  arena.release(b, 64); // a+b+c now one 192-byte hole
  assert.equal(arena.alloc(192), a);
  const top = arena.highWater;
  arena.release(d + 64, 128);
  assert.equal(arena.highWater, top - 128, "releasing the last block lowers the top");
});

test("a refused grow is a clear error, and so is the 4 GiB limit", () => {
  const arena = new Arena(1024, (end) => end < 10_000);
  arena.alloc(4096);
  assert.throws(() => arena.alloc(10_000), VectorCoreError);
  assert.throws(() => new Arena(1024, () => true).alloc(2 ** 32), /address space/);
});
