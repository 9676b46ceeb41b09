// Shop configs: every shipped config loads (JSON and YAML); a bad YAML file names each problem.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadShopConfig } from "./shop-config.ts";
import { loadHook } from "./hooks.ts";
import { OPENCLIPART_SHOP_CONFIG, OPENMOJI_SHOP_CONFIG } from "../shops/index.ts";

test("shipped shop configs load; the OpenMoji one uses JSON state, a listing API and a hook", async () => {
  const clip = await loadShopConfig(OPENCLIPART_SHOP_CONFIG);
  assert.equal(clip.maxRequestsPerRun, 50_000);
  const moji = await loadShopConfig(OPENMOJI_SHOP_CONFIG);
  assert.equal(moji.extract.jsonState?.root, "product");
  assert.equal(moji.listingApi?.next, "paging.next");
  assert.ok((await loadHook(moji.hook))?.afterExtract);
});

test("a bad YAML config lists every problem with its path; a missing hook is a clear error", async () => {
  const dir = await mkdtemp(join(tmpdir(), "artsnob-shopcfg-"));
  try {
    const file = join(dir, "bad.yaml");
    await writeFile(file, "id: Bad Id\nname: x\nbaseUrl: not-a-url\ncurrency: usd\nproductUrlPattern: '('\nallowedHosts: []\naffiliate: {template: '{url}'}\nlistingApi: {items: 'a..b', url: u}\n");
    await assert.rejects(loadShopConfig(file), (e: Error) => ["id:", "baseUrl:", "currency:", "productUrlPattern:", "allowedHosts:", "listingApi.items:"].every((p) => e.message.includes(p)));
    await writeFile(file, "id: [unclosed");
    await assert.rejects(loadShopConfig(file), /not valid YAML/);
    await assert.rejects(loadHook("no-such-hook"), /cannot load hook/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
