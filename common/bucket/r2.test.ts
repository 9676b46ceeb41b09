// R2Bucket against a real R2 binding: Miniflare runs workerd with a local, in-memory R2 bucket and
// hands us a proxy of the binding (miniflare comes with wrangler, pinned by the lock file).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Miniflare } from "miniflare";
import type { R2Bucket as WorkersR2Bucket } from "@cloudflare/workers-types/experimental";
import { bucketContract } from "./contract.ts";
import { R2Bucket, type R2BindingLike } from "./r2.ts";

// Compile-time check: the real Workers binding type fits the structural interface we code against.
const fits = (b: WorkersR2Bucket): R2BindingLike => b;
void fits;

let mf: Miniflare;
let binding: R2BindingLike;

before(async () => {
  mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response('ok'); } }",
    compatibilityDate: "2026-04-26",
    r2Buckets: ["BUCKET"],
  });
  binding = (await mf.getR2Bucket("BUCKET")) as unknown as R2BindingLike;
});
after(() => mf.dispose());

/** One workerd for the whole file; each contract test starts from an empty bucket. */
async function emptyBucket(): Promise<void> {
  for (;;) {
    const page = await binding.list({ limit: 1000 });
    if (page.objects.length === 0) return;
    await binding.delete(page.objects.map((o) => o.key));
  }
}

bucketContract("R2Bucket (Miniflare R2)", async () => {
  await emptyBucket();
  return { bucket: new R2Bucket(binding, "BUCKET", { listPageSize: 10 }), close: emptyBucket };
});

test("R2Bucket: name names the binding", () => {
  assert.equal(new R2Bucket(binding, "IMAGES").name, "r2:IMAGES");
});
