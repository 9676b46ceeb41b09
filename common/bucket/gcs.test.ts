// GcsBucket runs the real @google-cloud/storage client against a local FAKE of the GCS JSON API
// (test/fixtures/gcs-fake/server.ts): no GCS emulator can be installed on our offline machines.
import assert from "node:assert/strict";
import { test } from "node:test";
import { startGcsFake } from "../../test/fixtures/gcs-fake/server.ts";
import { bucketContract } from "./contract.ts";
import { GcsBucket, SIMPLE_UPLOAD_MAX_BYTES } from "./gcs.ts";
import { readText } from "./types.ts";

bucketContract("GcsBucket (fake GCS)", async () => {
  const fake = await startGcsFake();
  // A key prefix and a small page size, so prefix mapping and list pagination are exercised.
  return { bucket: new GcsBucket({ bucket: "artsnob-test", prefix: "tenant", apiEndpoint: fake.endpoint, listPageSize: 10 }), close: fake.close };
});

test("GcsBucket: the bucket prefix maps keys inside the bucket", async () => {
  const fake = await startGcsFake();
  try {
    const scoped = new GcsBucket({ bucket: "artsnob-test", prefix: "/tenant/", apiEndpoint: fake.endpoint });
    const whole = new GcsBucket({ bucket: "artsnob-test", apiEndpoint: fake.endpoint });
    assert.equal(scoped.name, "gcs:artsnob-test/tenant");
    await scoped.put("a/b.txt", "scoped");
    assert.equal(await readText(whole, "tenant/a/b.txt"), "scoped");
    assert.equal(await whole.head("a/b.txt"), null);
    const listed: string[] = [];
    for await (const o of scoped.list("")) listed.push(o.key);
    assert.deepEqual(listed, ["a/b.txt"]);
  } finally {
    await fake.close();
  }
});

test("GcsBucket: small objects use one multipart upload, large ones a resumable session", async () => {
  const fake = await startGcsFake();
  try {
    const bucket = new GcsBucket({ bucket: "artsnob-test", apiEndpoint: fake.endpoint });
    await bucket.put("small.bin", new Uint8Array(1024).fill(1));
    assert.equal(fake.requests.get("POST multipart"), 1);
    assert.equal(fake.requests.get("POST resumable"), undefined);

    const big = new Uint8Array(SIMPLE_UPLOAD_MAX_BYTES + 1).map((_, i) => (i * 13) & 255);
    assert.equal(await bucket.put("big.bin", big), true);
    assert.equal(fake.requests.get("POST resumable"), 1);
    assert.equal(await bucket.put("big.bin", big, { ifAbsent: true }), false, "412 on session start → false");
    assert.deepEqual(await bucket.get("big.bin"), big);
    assert.deepEqual(await bucket.get("big.bin", { offset: SIMPLE_UPLOAD_MAX_BYTES - 2, length: 10 }), big.slice(SIMPLE_UPLOAD_MAX_BYTES - 2));
  } finally {
    await fake.close();
  }
});

test("GcsBucket: bad configuration fails early with a clear error", () => {
  assert.throws(() => new GcsBucket({ bucket: "Bad Bucket!" }), /invalid GCS bucket name/);
  assert.throws(() => new GcsBucket({ bucket: "ok-bucket", prefix: "../up" }), /invalid bucket key/);
});

test("GcsBucket: server errors surface as errors, not as missing objects", async () => {
  const fake = await startGcsFake();
  await fake.close(); // nothing listens any more
  const bucket = new GcsBucket({ bucket: "artsnob-test", apiEndpoint: fake.endpoint, maxRetries: 0 });
  await assert.rejects(bucket.head("a.txt"), /ECONNREFUSED/);
  await assert.rejects(bucket.get("a.txt"), /ECONNREFUSED/);
});

test("GcsBucket: whole-object downloads are checked against the fake's CRC32C/MD5", async () => {
  const fake = await startGcsFake();
  try {
    const bucket = new GcsBucket({ bucket: "artsnob-test", apiEndpoint: fake.endpoint });
    await bucket.put("checked.bin", "some bytes worth protecting");
    fake.tamper("artsnob-test", "checked.bin");
    await assert.rejects(bucket.get("checked.bin"), /did not match the data from the server/);
    // A range cannot be validated by GCS clients, so it returns the (tampered) bytes.
    assert.equal((await bucket.get("checked.bin", { offset: 1, length: 4 }))?.length, 4);
  } finally {
    await fake.close();
  }
});
