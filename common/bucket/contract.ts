// The behaviour every Bucket backend must share, as one suite run by each backend's test file.
// Read-only backends (HttpBucket) get their objects through `writer`, a writable bucket that holds
// the same objects, and must refuse put/delete with a clear error.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BucketKeyError, readText, type Bucket, type ObjectInfo } from "./types.ts";

export interface ContractSubject {
  bucket: Bucket;
  /** Where the suite writes when `bucket` is read-only; defaults to `bucket`. */
  writer?: Bucket;
  close(): Promise<void>;
}

export interface ContractOptions {
  readOnly?: boolean;
  /** False for backends that cannot enumerate (plain HTTP). */
  canList?: boolean;
  /** Whether the backend stores Content-Type and Cache-Control (a local directory cannot). */
  keepsHttpMetadata?: boolean;
  /** Whether ifAbsent is a server-side precondition (exactly one concurrent writer wins). */
  atomicIfAbsent?: boolean;
}

const HOSTILE_KEYS = ["../x", "/abs", "a//b", "a/../../etc/passwd", "a/./b", "", "a\\b", "trailing/"];

async function collect(it: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const o of it) out.push(o);
  return out;
}

export function bucketContract(label: string, make: () => Promise<ContractSubject>, options: ContractOptions = {}): void {
  const { readOnly = false, canList = true, keepsHttpMetadata = true, atomicIfAbsent = true } = options;

  const withBucket = (name: string, fn: (bucket: Bucket, writer: Bucket) => Promise<void>) =>
    test(`${label}: ${name}`, async () => {
      const subject = await make();
      try {
        await fn(subject.bucket, subject.writer ?? subject.bucket);
      } finally {
        await subject.close();
      }
    });

  withBucket("put then get, head and readText return the same bytes", async (bucket, writer) => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31 + 7) & 255);
    assert.equal(await writer.put("images/ab/obj.webp", bytes), true);
    assert.deepEqual(await bucket.get("images/ab/obj.webp"), bytes);
    const info = await bucket.head("images/ab/obj.webp");
    assert.ok(info);
    assert.equal(info.key, "images/ab/obj.webp");
    assert.equal(info.size, bytes.length);
    assert.equal(info.contentType, "image/webp", "content type guessed from the extension");
    assert.match(info.etag, /^(W\/)?".+"$/, "etag is a quoted HTTP validator");

    await writer.put("artifacts/CURRENT.json", JSON.stringify({ version: "v1" }), { contentType: "application/json; charset=utf-8" });
    assert.deepEqual(JSON.parse((await readText(bucket, "artifacts/CURRENT.json"))!), { version: "v1" });
  });

  withBucket("contentType and cacheControl are stored", async (bucket, writer) => {
    await writer.put("a/meta.bin", "x", { contentType: "text/plain", cacheControl: "public, max-age=31536000, immutable" });
    const info = await bucket.head("a/meta.bin");
    assert.ok(info);
    if (keepsHttpMetadata) assert.equal(info.contentType, "text/plain");
    if (keepsHttpMetadata) assert.equal(info.cacheControl, "public, max-age=31536000, immutable");
  });

  withBucket("overwrite replaces the object and changes the etag", async (bucket, writer) => {
    await writer.put("a/over.txt", "first");
    const before = await bucket.head("a/over.txt");
    await writer.put("a/over.txt", "second, longer");
    const after = await bucket.head("a/over.txt");
    assert.equal(await readText(bucket, "a/over.txt"), "second, longer");
    assert.notEqual(after?.etag, before?.etag);
  });

  withBucket("byte ranges: inside, clipped at the end, past the end, empty", async (bucket, writer) => {
    const bytes = new TextEncoder().encode("0123456789abcdef");
    await writer.put("r/range.bin", bytes);
    assert.equal(new TextDecoder().decode((await bucket.get("r/range.bin", { offset: 3, length: 4 }))!), "3456");
    assert.equal(new TextDecoder().decode((await bucket.get("r/range.bin", { offset: 0, length: 1 }))!), "0");
    assert.equal(new TextDecoder().decode((await bucket.get("r/range.bin", { offset: 12, length: 100 }))!), "cdef");
    assert.equal((await bucket.get("r/range.bin", { offset: 16, length: 4 }))?.length, 0);
    assert.equal((await bucket.get("r/range.bin", { offset: 500, length: 4 }))?.length, 0);
    assert.equal((await bucket.get("r/range.bin", { offset: 2, length: 0 }))?.length, 0);
    assert.equal(await bucket.get("r/missing.bin", { offset: 0, length: 4 }), null);
  });

  withBucket("getStream streams the whole object with its metadata", async (bucket, writer) => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
    await writer.put("s/stream.png", bytes);
    const obj = await bucket.getStream("s/stream.png");
    assert.ok(obj);
    assert.equal(obj.size, bytes.length);
    assert.equal(obj.contentType, "image/png");
    assert.ok(obj.body instanceof ReadableStream, "body is a web ReadableStream");
    assert.deepEqual(new Uint8Array(await new Response(obj.body).arrayBuffer()), bytes);
    assert.equal(await bucket.getStream("s/missing.png"), null);
  });

  withBucket("missing keys give null, not errors", async (bucket) => {
    assert.equal(await bucket.head("nope/nothing.json"), null);
    assert.equal(await bucket.get("nope/nothing.json"), null);
    assert.equal(await bucket.getStream("nope/nothing.json"), null);
    assert.equal(await readText(bucket, "nope/nothing.json"), null);
  });

  withBucket("hostile keys are rejected by every method", async (bucket) => {
    for (const key of HOSTILE_KEYS) {
      await assert.rejects(bucket.head(key), BucketKeyError, `head ${key}`);
      await assert.rejects(bucket.get(key), BucketKeyError, `get ${key}`);
      await assert.rejects(bucket.get(key, { offset: 0, length: 1 }), BucketKeyError, `get range ${key}`);
      await assert.rejects(bucket.getStream(key), BucketKeyError, `getStream ${key}`);
      await assert.rejects(bucket.put(key, "x"), BucketKeyError, `put ${key}`);
      await assert.rejects(bucket.delete(key), BucketKeyError, `delete ${key}`);
    }
  });

  if (readOnly) {
    withBucket("writes are refused with a clear error", async (bucket, writer) => {
      await writer.put("ro/kept.txt", "kept");
      await assert.rejects(bucket.put("ro/kept.txt", "changed"), /read-only/);
      await assert.rejects(bucket.delete("ro/kept.txt"), /read-only/);
      assert.equal(await readText(bucket, "ro/kept.txt"), "kept");
    });
  } else {
    withBucket("ifAbsent writes once and never overwrites", async (bucket) => {
      assert.equal(await bucket.put("images/cd/once.webp", "original", { ifAbsent: true }), true);
      assert.equal(await bucket.put("images/cd/once.webp", "replacement", { ifAbsent: true }), false);
      assert.equal(await readText(bucket, "images/cd/once.webp"), "original");
      assert.equal(await bucket.put("images/cd/once.webp", "forced"), true, "a plain put still overwrites");
      assert.equal(await readText(bucket, "images/cd/once.webp"), "forced");
    });

    withBucket("ifAbsent under concurrency: exactly one writer wins", async (bucket) => {
      const results = await Promise.all([1, 2, 3, 4].map((i) => bucket.put("race/key.txt", `writer ${i}`, { ifAbsent: true })));
      // LocalBucket checks then renames (harmless for content-addressed keys), so it is not strict.
      if (atomicIfAbsent) assert.equal(results.filter(Boolean).length, 1);
      else assert.ok(results.filter(Boolean).length >= 1);
      assert.match((await readText(bucket, "race/key.txt"))!, /^writer [1-4]$/);
    });

    withBucket("delete removes, and deleting a missing key is fine", async (bucket) => {
      await bucket.put("d/gone.txt", "bye");
      await bucket.delete("d/gone.txt");
      assert.equal(await bucket.head("d/gone.txt"), null);
      assert.equal(await bucket.get("d/gone.txt"), null);
      await bucket.delete("d/gone.txt");
      await bucket.delete("d/never-existed.txt");
    });
  }

  if (canList) {
    withBucket("list by prefix returns every matching key once", async (bucket) => {
      const keys = [
        "artifacts/v/2/a.bin",
        "artifacts/v/1/manifest.json",
        "artifacts/v/1/vectors.i8",
        "artifacts/v/10/x.bin",
        "artifacts/CURRENT.json",
        "images/00/h/w256.webp",
        "artifactsX/not-a-child.txt",
      ];
      for (const k of keys) await bucket.put(k, k);
      const listed = await collect(bucket.list("artifacts/v/1/"));
      assert.deepEqual(listed.map((o) => o.key), ["artifacts/v/1/manifest.json", "artifacts/v/1/vectors.i8"]);
      assert.equal(listed[0]?.size, "artifacts/v/1/manifest.json".length);
      assert.equal(listed[0]?.contentType, "application/json");

      const partial = (await collect(bucket.list("artifacts/v/1"))).map((o) => o.key).sort();
      assert.deepEqual(partial, ["artifacts/v/1/manifest.json", "artifacts/v/1/vectors.i8", "artifacts/v/10/x.bin"]);

      const all = (await collect(bucket.list(""))).map((o) => o.key);
      assert.deepEqual([...all].sort(), [...keys].sort());
      assert.equal(new Set(all).size, all.length, "no duplicates across pages");

      assert.deepEqual(await collect(bucket.list("nothing-here/")), []);
      for (const prefix of ["../", "/abs", "a//", "a/../.."]) {
        await assert.rejects(collect(bucket.list(prefix)), BucketKeyError, `list ${prefix}`);
      }
    });

    withBucket("list paginates past one page", async (bucket) => {
      const keys = Array.from({ length: 25 }, (_, i) => `many/k${String(i).padStart(3, "0")}.txt`);
      await Promise.all(keys.map((k) => bucket.put(k, k)));
      const listed = (await collect(bucket.list("many/"))).map((o) => o.key);
      assert.deepEqual([...listed].sort(), keys);
    });
  } else {
    withBucket("list is refused with a clear error", async (bucket) => {
      await assert.rejects(collect(bucket.list("a/")), /cannot list/);
    });
  }
}
