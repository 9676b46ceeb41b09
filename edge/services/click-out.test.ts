import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveTarget } from "./click-out.ts";

const size = { label: "Large 50×70", widthCm: 50, heightCm: 70, priceCents: 100, currency: "EUR" };

test("fills {size} from the stored size only", () => {
  assert.equal(resolveTarget("https://shop.example/p/1?ref=a&size={size}", { ...size, key: "l" }), "https://shop.example/p/1?ref=a&size=l");
  assert.equal(resolveTarget("https://shop.example/p/1?size={size}", size), "https://shop.example/p/1?size=Large%2050%C3%9770");
  assert.equal(resolveTarget("https://shop.example/p/1?size={size}", undefined), "https://shop.example/p/1?size=");
});

test("only absolute http(s) targets", () => {
  assert.equal(resolveTarget("javascript:alert(1)", undefined), null);
  assert.equal(resolveTarget("/relative/path", undefined), null);
  assert.equal(resolveTarget("data:text/html,hi", undefined), null);
  assert.equal(resolveTarget("not a url", undefined), null);
});
