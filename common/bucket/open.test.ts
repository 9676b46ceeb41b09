import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { startGcsFake } from "../../test/fixtures/gcs-fake/server.ts";
import { GcsBucket } from "./gcs.ts";
import { HttpBucket } from "./http.ts";
import { LocalBucket } from "./local.ts";
import { openBucket } from "./open.ts";
import { readText } from "./types.ts";

test("openBucket: paths and file:// URLs open a LocalBucket that writes there", async () => {
  const dir = await mkdtemp(join(tmpdir(), "artsnob-open-"));
  try {
    for (const spec of [dir, `${dir}/`, pathToFileURL(dir).href]) {
      const bucket = openBucket(spec);
      assert.ok(bucket instanceof LocalBucket, spec);
      await bucket.put("a/x.txt", spec);
      assert.equal(await readFile(join(dir, "a", "x.txt"), "utf8"), spec);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("openBucket: gs:// opens GcsBucket with the endpoint from opts, config or GCS_API_ENDPOINT (fake GCS)", async () => {
  const fake = await startGcsFake();
  const saved = process.env.GCS_API_ENDPOINT;
  try {
    const viaOpts = openBucket("gs://artsnob-test/some/prefix", { gcsApiEndpoint: fake.endpoint });
    assert.ok(viaOpts instanceof GcsBucket);
    assert.equal(viaOpts.name, "gcs:artsnob-test/some/prefix");
    await viaOpts.put("k.txt", "hello");

    const viaConfig = openBucket({ bucket: "gs://artsnob-test", GCS_API_ENDPOINT: fake.endpoint });
    assert.equal(await readText(viaConfig, "some/prefix/k.txt"), "hello");

    process.env.GCS_API_ENDPOINT = fake.endpoint;
    assert.equal(await readText(openBucket("gs://artsnob-test/some/prefix/"), "k.txt"), "hello");
  } finally {
    if (saved === undefined) delete process.env.GCS_API_ENDPOINT;
    else process.env.GCS_API_ENDPOINT = saved;
    await fake.close();
  }
});

test("openBucket: http(s) URLs open a read-only HttpBucket", () => {
  const bucket = openBucket("https://cdn.example.com/bucket");
  assert.ok(bucket instanceof HttpBucket);
  assert.equal(bucket.name, "http:https://cdn.example.com/bucket/");
});

test("openBucket: bad specs give clear errors", () => {
  assert.throws(() => openBucket(""), /bucket spec is empty/);
  assert.throws(() => openBucket("s3://x/y"), /unsupported scheme "s3:\/\/"/);
  assert.throws(() => openBucket("gs://"), /expected gs:\/\/bucket/);
  assert.throws(() => openBucket("gs://UPPER"), /invalid GCS bucket name/);
  assert.throws(() => openBucket("gs://ok-bucket/../up"), /invalid bucket key/);
});
