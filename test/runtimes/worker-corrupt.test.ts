// A corrupt artifact version at the edge, on real workerd with local R2 and a real batch export:
// the publisher refuses to copy a version whose files do not match its manifest; a version that is
// corrupt in R2 itself (bit rot, a hand copy gone wrong) is refused by the Worker, which keeps serving
// the last good version and says so in its logs and /api/health; rolling the pointer back
// (scripts/deploy/rollback.ts) returns health to ok.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { MANIFEST_FILE, readPointer } from "../../common/artifacts/read.ts";
import { sha256Hex, type Manifest } from "../../common/artifacts/format.ts";
import { CURRENT_POINTER_KEY, artifactKey } from "../../common/bucket/keys.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { createLogger } from "../../common/log.ts";
import { exportFixtureShop, type FixtureExport } from "../../scripts/deploy/fixture-export.ts";
import { startLocalEdge, type LocalEdge } from "../../scripts/deploy/local-edge.ts";
import { publish, PublishError } from "../../scripts/deploy/publish.ts";
import { rollback } from "../../scripts/deploy/rollback.ts";
import { ensureWasmBuilt } from "../../wasm/src/build-for-tests.ts";

const dir = mkdtempSync(join(tmpdir(), "artsnob-worker-corrupt-"));
const quiet = createLogger({}, "error");
let batch: FixtureExport;
let edge: LocalEdge;

before(async () => {
  ensureWasmBuilt();
  batch = await exportFixtureShop(join(dir, "data"), 24);
  // The DB stand-in requires a bearer token here, as Turso does: the Worker sends DATABASE_AUTH_TOKEN.
  edge = await startLocalEdge({ dbPath: batch.dbPath, persistTo: join(dir, "wrangler"), vars: { ARTIFACT_POINTER_TTL_MS: "0" }, dbToken: "turso-like-token" });
  await publish({ from: batch.bucket, to: edge.r2, log: quiet });
});

after(async () => {
  await edge?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Health = { status: string; artifacts: { version: string } | null; problems: string[] };
const health = async () => (await (await fetch(`${edge.url}/api/health`)).json()) as Health;
const text = async (path: string) => {
  const res = await fetch(edge.url + path);
  assert.equal(res.status, 200, path);
  return res.text();
};

/** Copies the published version under a new name with one byte of `file` flipped (manifest still names the good hash). */
async function corruptCopy(to: LocalBucket | LocalEdge["r2"], version: string, badVersion: string, file: string): Promise<string> {
  const manifest = JSON.parse(new TextDecoder().decode((await batch.bucket.get(artifactKey(version, MANIFEST_FILE)))!)) as Manifest;
  for (const f of Object.values(manifest.files)) {
    const bytes = (await batch.bucket.get(artifactKey(version, f.path)))!;
    if (f.path === file) bytes[40] = bytes[40]! ^ 0xff;
    await to.put(artifactKey(badVersion, f.path), bytes);
  }
  const bad: Manifest = { ...manifest, version: badVersion, createdAt: new Date(Date.parse(manifest.createdAt) + 60_000).toISOString() };
  const bytes = JSON.stringify(bad);
  await to.put(artifactKey(badVersion, MANIFEST_FILE), bytes);
  return sha256Hex(bytes);
}

test("the publisher refuses to copy a version whose files do not match its manifest", async () => {
  const source = new LocalBucket(join(dir, "bad-source"));
  const good = (await readPointer(batch.bucket))!;
  const sha = await corruptCopy(source, good.version, "bad-at-source", "vectors.i8");
  await source.put(CURRENT_POINTER_KEY, JSON.stringify({ version: "bad-at-source", manifestSha256: sha, publishedAt: new Date().toISOString() }));
  await assert.rejects(publish({ from: source, to: edge.r2, images: false, log: quiet }), (e: unknown) => e instanceof PublishError && /vectors\.i8: does not match the manifest/.test(e.message));
  assert.equal((await readPointer(edge.r2))?.version, good.version, "the edge pointer did not move");
  assert.equal(await edge.r2.head(artifactKey("bad-at-source", MANIFEST_FILE)), null, "no manifest for the refused version");
});

test("a version corrupt in R2 is refused; the last good one keeps serving; logs and /api/health say so; rollback clears it", async () => {
  const good = (await readPointer(batch.bucket))!;
  const h0 = await health();
  assert.equal(h0.status, "ok", JSON.stringify(h0.problems));
  const feed = JSON.parse(await text("/api/feed?limit=6")) as { items: Array<{ id: number }> };
  const paths = feed.items.slice(0, 3).map((w) => `/api/art/${w.id}/similar?limit=5`);
  const answers = await Promise.all(paths.map(text));

  const badVersion = `${good.version}-corrupt`;
  const sha = await corruptCopy(edge.r2, good.version, badVersion, "neighbours.u32");
  await edge.r2.put(CURRENT_POINTER_KEY, JSON.stringify({ version: badVersion, manifestSha256: sha, publishedAt: new Date().toISOString() }));

  const h1 = await health();
  assert.equal(h1.status, "degraded");
  assert.equal(h1.artifacts?.version, good.version, "still serving the last good version");
  assert.ok(h1.problems.some((p) => p.includes(`${badVersion}/neighbours.u32: sha256 mismatch`)), JSON.stringify(h1.problems));
  assert.deepEqual(await Promise.all(paths.map(text)), answers, "answers are the last good version's");
  const refused = edge.logs.filter((l) => l.includes('"artifact version refused"'));
  assert.ok(refused.length >= 1, "the refusal is logged");
  const line = JSON.parse(refused[0]!.slice(refused[0]!.indexOf("{"), refused[0]!.lastIndexOf("}") + 1)) as { level: string; error: string; serving: string };
  assert.equal(line.level, "error");
  assert.match(line.error, /neighbours\.u32: sha256 mismatch/);
  assert.equal(line.serving, good.version);
  // Refused once, not re-downloaded on every request.
  await Promise.all(paths.map(text));
  assert.equal(edge.logs.filter((l) => l.includes('"artifact version refused"')).length, refused.length);

  // Operations: roll the pointer back to the last good kept version.
  const plans = await rollback({ buckets: [edge.r2] });
  assert.deepEqual(plans.map((p) => [p.from, p.to]), [[badVersion, good.version]]);
  const h2 = await health();
  assert.equal(h2.status, "ok", JSON.stringify(h2.problems));
  assert.equal(h2.artifacts?.version, good.version);
});
