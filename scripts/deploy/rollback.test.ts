// Rollback re-points artifacts/CURRENT.json at a kept version, after checking it completely; the
// publisher copies in reader order and is idempotent. Real batch-format versions (test/fixtures/seed.ts
// writeArtifactSet) in LocalBuckets and on the S3 fake; the CLI through `npm run deploy:rollback`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readPointer } from "../../common/artifacts/read.ts";
import { artifactKey, CURRENT_POINTER_KEY } from "../../common/bucket/keys.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { S3Bucket } from "../../common/bucket/s3.ts";
import type { Bucket, PutOptions } from "../../common/bucket/types.ts";
import { createLogger } from "../../common/log.ts";
import { startS3Fake } from "../../test/fixtures/s3-fake/server.ts";
import { writeArtifactSet } from "../../test/fixtures/seed.ts";
import { REPO } from "./local-edge.ts";
import { publish } from "./publish.ts";
import { keptVersions, rollback, RollbackError } from "./rollback.ts";

const dir = mkdtempSync(join(tmpdir(), "artsnob-rollback-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const quiet = createLogger({}, "error");
let n = 0;

/** A bucket with versions v1, v2, v3 published in that order (v3 current). */
async function threeVersions(path = join(dir, `b${n++}`)): Promise<LocalBucket> {
  const b = new LocalBucket(path);
  for (const [i, v] of ["v1", "v2", "v3"].entries()) {
    const vectors = Array.from({ length: 4 }, (_, r) => Array.from({ length: 16 }, (_, c) => (r === c % 4 ? 1 : 0.01 * (i + 1))));
    // The fixture stamps one createdAt on every version; ties order by name (v1 < v2 < v3).
    await writeArtifactSet(b, { version: v, ids: [1, 2, 3, 4], vectors, dim: 16, k: 2 });
  }
  return b;
}

test("default: back to the version before the current one; again: one further back", async () => {
  const b = await threeVersions();
  assert.deepEqual((await keptVersions(b)).map((k) => k.version), ["v1", "v2", "v3"]);
  const plans = await rollback({ buckets: [b] });
  assert.deepEqual(plans.map((p) => [p.from, p.to]), [["v3", "v2"]]);
  assert.equal((await readPointer(b))?.version, "v2");
  await rollback({ buckets: [b] });
  assert.equal((await readPointer(b))?.version, "v1");
  await assert.rejects(rollback({ buckets: [b] }), (e: unknown) => e instanceof RollbackError && /no kept version before v1/.test(e.message));
  await rollback({ buckets: [b], to: "v3" });
  assert.equal((await readPointer(b))?.version, "v3", "--to rolls forward too");
});

test("a target with a damaged or missing file is refused and no pointer moves (in any bucket)", async () => {
  const a = await threeVersions();
  const b = await threeVersions();
  const key = artifactKey("v2", "vectors.i8");
  const bytes = (await b.get(key))!;
  bytes[50] = bytes[50]! ^ 1;
  await b.put(key, bytes);
  await assert.rejects(rollback({ buckets: [a, b] }), /vectors\.i8 does not match its manifest/);
  assert.equal((await readPointer(a))?.version, "v3", "the first bucket was not touched either");
  await b.delete(key);
  await assert.rejects(rollback({ buckets: [b], to: "v2" }), /vectors\.i8 is missing/);
  await assert.rejects(rollback({ buckets: [a], to: "v9" }), /v9 is not kept; kept: v1, v2, v3/);
});

test("dry run checks and plans without writing", async () => {
  const b = await threeVersions();
  const before = await b.get(CURRENT_POINTER_KEY);
  const plans = await rollback({ buckets: [b], dryRun: true });
  assert.equal(plans[0]?.to, "v2");
  assert.deepEqual(await b.get(CURRENT_POINTER_KEY), before);
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", "deploy:rollback", "--", ...args], { cwd: REPO });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("npm run deploy:rollback: --list, roll back, refusal exits 1 with the reason", async () => {
  const path = join(dir, "cli");
  const b = await threeVersions(path);
  const list = await runCli(["--bucket", path, "--list"]);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout.trim()) as { current: string; kept: Array<{ version: string }> }).kept.map((k) => k.version), ["v1", "v2", "v3"]);
  const r = await runCli(["--bucket", path]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout.trim()) as { plans: Array<{ to: string }> }).plans[0]?.to, "v2");
  assert.equal((await readPointer(b))?.version, "v2");
  const bad = await runCli(["--bucket", path, "--to", "nope"]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /rollback refused.*nope is not kept/);
});

/** Records the order of writes, to check what a polling reader could observe. */
class Recording implements Bucket {
  readonly writes: string[] = [];
  constructor(private readonly inner: Bucket) {}
  get name() { return this.inner.name; }
  head(k: string) { return this.inner.head(k); }
  get(k: string, r?: { offset: number; length: number }) { return this.inner.get(k, r); }
  getStream(k: string) { return this.inner.getStream(k); }
  put(k: string, body: Uint8Array | string, o?: PutOptions) { this.writes.push(k); return this.inner.put(k, body, o); }
  delete(k: string) { this.writes.push(`delete ${k}`); return this.inner.delete(k); }
  list(p: string) { return this.inner.list(p); }
}

test("publish to S3: images, then files, then manifest, then pointer; a rerun copies nothing; old versions pruned; rollback works there", async () => {
  const s3 = await startS3Fake();
  try {
    const src = await threeVersions();
    await src.put("images/ab/abcd/w250.webp", new Uint8Array([1, 2, 3]));
    const r2 = new S3Bucket({ endpoint: s3.endpoint, bucket: "edge", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });
    const to = new Recording(r2);
    const first = await publish({ from: src, to, log: quiet });
    assert.equal(first.version, "v3");
    assert.equal(first.flipped, true);
    assert.equal(first.imagesCopied, 1);
    const w = to.writes;
    assert.equal(w[0], "images/ab/abcd/w250.webp");
    assert.equal(w.at(-1), CURRENT_POINTER_KEY);
    assert.equal(w.at(-2), artifactKey("v3", "manifest.json"));
    assert.ok(w.slice(1, -2).every((k) => k.startsWith("artifacts/v/v3/") && !k.endsWith("manifest.json")));

    to.writes.length = 0;
    const again = await publish({ from: src, to, log: quiet });
    assert.deepEqual([again.flipped, again.imagesCopied, again.artifactFiles, to.writes.length], [false, 0, 0, 0], "idempotent");

    // A version the batch no longer keeps is pruned from the edge too.
    await r2.put(artifactKey("old", "manifest.json"), "{}");
    await r2.put(artifactKey("old", "ids.u32"), "x");
    const pruned = await publish({ from: src, to: r2, log: quiet });
    assert.deepEqual(pruned.prunedVersions, ["old"]);
    assert.equal(await r2.head(artifactKey("old", "ids.u32")), null);
    assert.equal(await r2.head(artifactKey("v3", "ids.u32")) !== null, true);

    // Roll back both sides together: the edge only has v3 so far, so nothing moves anywhere…
    await assert.rejects(rollback({ buckets: [src, r2] }), /no kept version before v3|v2 is not kept/);
    // …until the edge holds v2 as well (as it does after the nightly runs that published it).
    await publish({ from: new Only(src, "v2"), to: r2, images: false, prune: false, log: quiet });
    await r2.put(CURRENT_POINTER_KEY, (await src.get(CURRENT_POINTER_KEY))!); // back to v3 on the edge
    const plans = await rollback({ buckets: [src, r2] });
    assert.deepEqual(plans.map((p) => p.to), ["v2", "v2"]);
    assert.equal((await readPointer(r2))?.version, "v2");
  } finally {
    await s3.close();
  }
});

/** The source as if `version` were its current one (to pre-stage a rollback target on the edge). */
class Only extends Recording {
  constructor(inner: LocalBucket, private readonly version: string) {
    super(inner);
  }
  override async get(k: string, r?: { offset: number; length: number }) {
    if (k !== CURRENT_POINTER_KEY) return super.get(k, r);
    const kept = (await keptVersions(this)).find((v) => v.version === this.version)!;
    return new TextEncoder().encode(JSON.stringify({ version: kept.version, manifestSha256: kept.manifestSha256, publishedAt: new Date().toISOString() }));
  }
}
