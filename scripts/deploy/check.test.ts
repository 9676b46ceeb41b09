// The Worker bundle (API + WASM core + site SSR) stays within Cloudflare's size limits.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkDeploy } from "./check.ts";

test("wrangler deploy --dry-run bundles within the Workers free-plan limit", () => {
  const r = checkDeploy() as { ok: boolean; gzip_bytes: number; raw_bytes: number; modules: Array<{ file: string }> };
  assert.ok(r.raw_bytes > 0 && r.gzip_bytes > 0 && r.gzip_bytes < r.raw_bytes);
  assert.ok(r.modules.some((m) => m.file.endsWith(".wasm")), "the WASM core ships as its own module");
  assert.equal(r.ok, true, `gzip ${r.gzip_bytes} bytes over the limit`);
});
