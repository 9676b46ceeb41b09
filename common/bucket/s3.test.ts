// S3Bucket: the SigV4 signer against the AWS documentation's published examples, then the shared
// Bucket contract over real HTTP against test/fixtures/s3-fake (which re-verifies every signature
// with node:crypto and refuses what R2 would refuse).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startS3Fake, type S3Fake } from "../../test/fixtures/s3-fake/server.ts";
import { bucketContract } from "./contract.ts";
import { EMPTY_SHA256, S3Bucket, S3Error, sha256HexOf, signV4, uriEncode } from "./s3.ts";

// "Signature Calculations for the Authorization Header" examples (AWS S3 API reference, sig-v4-header-based-auth).
const DOC = { credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }, region: "us-east-1", date: new Date("2013-05-24T00:00:00Z") };
const signatureOf = (h: Record<string, string>) => /Signature=([0-9a-f]{64})$/.exec(h.authorization!)?.[1];

test("SigV4: GET object with a Range header matches the AWS example", async () => {
  const h = await signV4({ ...DOC, method: "GET", url: new URL("https://examplebucket.s3.amazonaws.com/test.txt"), headers: { Range: "bytes=0-9" }, payloadHash: EMPTY_SHA256 });
  assert.equal(h["x-amz-date"], "20130524T000000Z");
  assert.match(h.authorization!, /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/20130524\/us-east-1\/s3\/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, /);
  assert.equal(signatureOf(h), "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
});

test("SigV4: GET bucket lifecycle (sub-resource query) matches the AWS example", async () => {
  const h = await signV4({ ...DOC, method: "GET", url: new URL("https://examplebucket.s3.amazonaws.com/?lifecycle"), headers: {}, payloadHash: EMPTY_SHA256 });
  assert.equal(signatureOf(h), "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
});

test("SigV4: list objects (sorted, encoded query) matches the AWS example", async () => {
  const h = await signV4({ ...DOC, method: "GET", url: new URL("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J"), headers: {}, payloadHash: EMPTY_SHA256 });
  assert.equal(signatureOf(h), "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
});

test("SigV4: PUT with a body and an escaped key matches the AWS example", async () => {
  const body = "Welcome to Amazon S3.";
  const h = await signV4({
    ...DOC,
    method: "PUT",
    url: new URL(`https://examplebucket.s3.amazonaws.com/${uriEncode("test$file.text", true)}`),
    headers: { Date: "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class": "REDUCED_REDUNDANCY" },
    payloadHash: await sha256HexOf(body),
  });
  assert.equal(signatureOf(h), "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
});

let fake: S3Fake;
before(async () => {
  fake = await startS3Fake();
});
after(() => fake.close());

let n = 0;
const make = (extra: Partial<ConstructorParameters<typeof S3Bucket>[0]> = {}) =>
  new S3Bucket({ endpoint: fake.endpoint, bucket: `contract-${n++}`, accessKeyId: fake.accessKeyId, secretAccessKey: fake.secretAccessKey, listPageSize: 7, ...extra });

bucketContract("S3Bucket (S3 fake)", async () => ({ bucket: make(), close: async () => undefined }));
bucketContract("S3Bucket with a prefix (S3 fake)", async () => ({ bucket: make({ prefix: "edge/prod" }), close: async () => undefined }));

test("S3Bucket: keys with spaces, unicode and reserved characters round-trip (signature covers the encoding)", async () => {
  const b = make();
  for (const key of ["images/ab/a b+c=d&e.webp", "artifacts/v/é ü/x(1)!*'.bin", "a/%41/~tilde"]) {
    assert.equal(await b.put(key, key), true, key);
    assert.equal(new TextDecoder().decode((await b.get(key))!), key);
  }
  const listed = [];
  for await (const o of b.list("")) listed.push(o.key);
  assert.deepEqual(listed.sort(), ["a/%41/~tilde", "artifacts/v/é ü/x(1)!*'.bin", "images/ab/a b+c=d&e.webp"]);
});

test("S3Bucket: wrong credentials are refused with the server's error code", async () => {
  const b = new S3Bucket({ endpoint: fake.endpoint, bucket: "auth", accessKeyId: fake.accessKeyId, secretAccessKey: "wrong" });
  await assert.rejects(b.put("x.bin", "x"), (e: unknown) => e instanceof S3Error && e.status === 403 && e.code === "SignatureDoesNotMatch");
  await assert.rejects(b.head("x.bin"), (e: unknown) => e instanceof S3Error && e.status === 403);
});

test("S3Bucket: bad configuration is a clear error", () => {
  assert.throws(() => new S3Bucket({ endpoint: "ftp://x", bucket: "bkt", accessKeyId: "a", secretAccessKey: "s" }), /endpoint/);
  assert.throws(() => new S3Bucket({ endpoint: "https://x", bucket: "B_!", accessKeyId: "a", secretAccessKey: "s" }), /bucket name/);
  assert.throws(() => new S3Bucket({ endpoint: "https://x", bucket: "bkt", accessKeyId: "", secretAccessKey: "s" }), /credentials/);
});
