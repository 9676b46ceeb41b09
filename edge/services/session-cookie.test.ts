import assert from "node:assert/strict";
import { test } from "node:test";
import { isTokenId, randomId } from "./session-cookie.ts";

test("randomId: url-safe, the asked length, never repeated across refills of the byte pool", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const id = randomId(); // 16 bytes each: 5000 ids span ~20 pool refills
    assert.ok(isTokenId(id), id);
    assert.equal(id.length, 22);
    seen.add(id);
  }
  assert.equal(seen.size, 5000);
  assert.equal(randomId(32).length, 43);
  assert.equal(randomId(300).length, 400, "large draws bypass the pool");
});
