import assert from "node:assert/strict";
import { test } from "node:test";
import { HttpError } from "../errors.ts";
import { buildFtsQuery, MAX_QUERY_CHARS, MAX_QUERY_TERMS } from "./fts-query.ts";

test("words become quoted terms, the last one a prefix", () => {
  assert.deepEqual(buildFtsQuery("Golden  Tulip"), { text: "Golden Tulip", match: '"golden" "tulip"*' });
  assert.equal(buildFtsQuery("café Renoir").match, '"café" "renoir"*');
  assert.equal(buildFtsQuery("東京 タワー").match, '"東京" "タワー"*');
});

test("FTS5 syntax in user text is only ever text", () => {
  for (const hostile of ['fox" OR title:*', "NEAR(a b)", "a AND NOT b", "-fox ^start", "col:val", "(x) {y}", "'; DROP TABLE t; --"]) {
    const q = buildFtsQuery(hostile);
    // Every token is a double-quoted run of letters/digits; nothing else can appear.
    assert.match(q.match ?? "", /^("[\p{L}\p{N}\p{M}]+"\*? ?)+$/u, hostile);
  }
});

test("punctuation-only text searches nothing; empty and oversized text is a 400", () => {
  assert.equal(buildFtsQuery("!!! ???").match, null);
  const is400 = (code: string) => (e: unknown) => e instanceof HttpError && e.status === 400 && e.code === code;
  assert.throws(() => buildFtsQuery("   "), is400("missing_query"));
  assert.throws(() => buildFtsQuery("x".repeat(MAX_QUERY_CHARS + 1)), is400("query_too_long"));
  assert.throws(() => buildFtsQuery("junk ".repeat(2048)), is400("query_too_long"));
});

test("terms are de-duplicated and capped", () => {
  const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
  assert.equal(buildFtsQuery(many).match!.split(" ").length, MAX_QUERY_TERMS);
  assert.equal(buildFtsQuery("fox Fox FOX").match, '"fox"*');
});
