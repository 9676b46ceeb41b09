// Loading, verification, hot swap and refusal of artifact versions (real LocalBucket in a temp dir).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { artifactKey } from "../../common/bucket/keys.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { createLogger } from "../../common/log.ts";
import { compileVectorWasm } from "../../wasm/src/load-node.ts";
import { ensureWasmBuilt } from "../../wasm/src/build-for-tests.ts";
import { writeArtifactSet } from "../../test/fixtures/seed.ts";
import { ArtifactStore } from "./artifact-store.ts";

const dir = mkdtempSync(join(tmpdir(), "artifact-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const quiet = createLogger({}, "error");

function unitVectors(n: number, dim: number, seed: number): number[][] {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: dim }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

test("nothing published → null; a valid version loads; a new pointer swaps it in", async () => {
  ensureWasmBuilt();
  const bucket = new LocalBucket(join(dir, "a"));
  const store = new ArtifactStore(bucket, () => compileVectorWasm(), quiet, 0);
  assert.equal(await store.current(), null);
  assert.equal((await store.status()).error, null);

  await writeArtifactSet(bucket, { version: "v1", ids: [10, 20, 30, 40], vectors: unitVectors(4, 8, 1), dim: 8, k: 2 });
  const v1 = await store.current();
  assert.equal(v1?.manifest.version, "v1");
  assert.equal(v1?.rowOf.get(30), 2);
  const hits = (await v1!.index()).search(v1!.rowVector(0), 1);
  assert.equal(hits[0]?.row, 0, "a row is its own nearest neighbour");
  assert.equal("vectors" in v1!, false, "the vectors live only in the WASM index");
  assert.throws(() => v1!.rowVector(4), /row/, "rows past the end are refused");
  assert.equal(await store.current(), v1, "unchanged pointer → same object, no reload");

  await writeArtifactSet(bucket, { version: "v2", ids: [10, 20, 30, 40, 50], vectors: unitVectors(5, 8, 2), dim: 8, k: 3 });
  const v2 = await store.current();
  assert.equal(v2?.manifest.version, "v2");
  assert.equal(v2?.manifest.count, 5);
});

test("a corrupt version is refused; the last good one keeps serving and the error is reported", async () => {
  const bucket = new LocalBucket(join(dir, "b"));
  const store = new ArtifactStore(bucket, () => compileVectorWasm(), quiet, 0);
  await writeArtifactSet(bucket, { version: "good", ids: [1, 2, 3], vectors: unitVectors(3, 4, 3), dim: 4, k: 2 });
  assert.equal((await store.current())?.manifest.version, "good");

  await writeArtifactSet(bucket, { version: "bad", ids: [1, 2, 3], vectors: unitVectors(3, 4, 4), dim: 4, k: 2 });
  const key = artifactKey("bad", "vectors.i8");
  const bytes = (await bucket.get(key))!;
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x55; // flip bits after publish
  await bucket.put(key, bytes);
  const fresh = new ArtifactStore(bucket, () => compileVectorWasm(), quiet, 0);
  assert.equal(await fresh.current(), null, "a fresh isolate has nothing good to serve");
  assert.match((await fresh.status()).error ?? "", /sha256 mismatch/);

  assert.equal((await store.current())?.manifest.version, "good", "the running isolate keeps the last good version");
  assert.match((await store.status()).error ?? "", /vectors\.i8: sha256 mismatch/);

  await writeArtifactSet(bucket, { version: "fixed", ids: [1, 2, 3, 4], vectors: unitVectors(4, 4, 5), dim: 4, k: 2 });
  assert.equal((await store.current())?.manifest.version, "fixed");
  assert.equal((await store.status()).error, null);
});

test("the pointer is trusted for its TTL, then re-read", async () => {
  const bucket = new LocalBucket(join(dir, "c"));
  await writeArtifactSet(bucket, { version: "t1", ids: [1, 2], vectors: unitVectors(2, 4, 6), dim: 4, k: 1 });
  const store = new ArtifactStore(bucket, () => compileVectorWasm(), quiet, 60_000);
  assert.equal((await store.current())?.manifest.version, "t1");
  await writeArtifactSet(bucket, { version: "t2", ids: [1, 2], vectors: unitVectors(2, 4, 7), dim: 4, k: 1 });
  assert.equal((await store.current())?.manifest.version, "t1", "within the TTL");
});

test("concurrent requests during a swap see one whole version each, never an error", async () => {
  const bucket = new LocalBucket(join(dir, "d"));
  await writeArtifactSet(bucket, { version: "h1", ids: [1, 2, 3], vectors: unitVectors(3, 4, 8), dim: 4, k: 2 });
  const store = new ArtifactStore(bucket, () => compileVectorWasm(), quiet, 0);
  await store.current();
  const publish = writeArtifactSet(bucket, { version: "h2", ids: [1, 2, 3, 4, 5, 6], vectors: unitVectors(6, 4, 9), dim: 4, k: 2 });
  const seen = await Promise.all(
    Array.from({ length: 30 }, async () => {
      const set = (await store.current())!;
      assert.equal(set.ids.length, set.manifest.count);
      assert.equal(set.neighbours.length, set.manifest.count * set.k);
      return set.manifest.version;
    }),
  );
  await publish;
  assert.ok(seen.every((v) => v === "h1" || v === "h2"));
  assert.equal((await store.current())?.manifest.version, "h2");
});
