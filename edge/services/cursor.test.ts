import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { HttpError } from "../errors.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";

const Feed = z.object({ b: z.number().int().positive() });

test("round-trips and is URL-safe", () => {
  const c = encodeCursor("feed", { b: 12345 });
  assert.match(c, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeCursor("feed", Feed, c), { k: "feed", b: 12345 });
});

test("garbage, other lists and out-of-range values are 400 invalid_cursor", () => {
  const bad = [
    "garbage",
    "%%%",
    "",
    "x".repeat(600),
    encodeCursor("search", { b: 1 }), // another list's cursor
    encodeCursor("feed", { b: -1 }),
    encodeCursor("feed", { b: 1.5 }),
    encodeCursor("feed", { b: "1" }),
    encodeCursor("feed", {}),
    Buffer.from("not json").toString("base64url"),
    Buffer.from([0xff, 0xfe, 0x00]).toString("base64url"), // invalid UTF-8
  ];
  for (const raw of bad) {
    assert.throws(() => decodeCursor("feed", Feed, raw), (e: unknown) => e instanceof HttpError && e.status === 400 && e.code === "invalid_cursor", raw);
  }
});
