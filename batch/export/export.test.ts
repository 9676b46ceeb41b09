import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../common/db/client.ts";
import { applyMigrations } from "../../common/db/migrate.ts";
import { artifactVersions, artworks, shops } from "../../common/db/schema.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { CURRENT_POINTER_KEY, artifactKey } from "../../common/bucket/keys.ts";
import { ManifestSchema, PointerSchema, MAGIC, decodeBinary, sha256Hex } from "../../common/artifacts/format.ts";
import { createLogger } from "../../common/log.ts";
import { DESCRIPTOR_DIM, DESCRIPTOR_ID } from "../features/descriptor.ts";
import { encodeFeature, featureKey } from "../features/store.ts";
import { runNeighbours } from "../features/neighbours.ts";
import { MANIFEST_FILE, runExport } from "./export.ts";

const log = createLogger({}, "error");

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), "artsnob-export-"));
  const handle = openDatabase(`file:${join(dir, "db.sqlite")}`);
  await applyMigrations(handle.db);
  const bucket = new LocalBucket(join(dir, "bucket"));
  await handle.db.insert(shops).values({ id: "s", name: "S", baseUrl: "https://s.example" });
  let n = 0;
  const addWork = async (seed: number, sameImageAs?: string) => {
    const hash = sameImageAs ?? (await sha256Hex(`img-${seed}`));
    const v = new Float32Array(DESCRIPTOR_DIM);
    let s = 0;
    for (let i = 0; i < DESCRIPTOR_DIM; i++) s += (v[i] = Math.sin(seed * 7.3 + i * (1 + (seed % 5)))) ** 2;
    for (let i = 0; i < DESCRIPTOR_DIM; i++) v[i]! /= Math.sqrt(s);
    await bucket.put(featureKey(DESCRIPTOR_ID, hash), encodeFeature(v));
    n++;
    await handle.db.insert(artworks).values({ shopId: "s", sourceUrl: `https://s.example/${n}`, canonicalUrl: `https://s.example/${n}`, title: `w${n}`, imageHash: hash });
    return hash;
  };
  return { dir, db: handle.db, bucket, addWork, close: async () => (handle.close(), await rm(dir, { recursive: true, force: true })) };
}

test("export writes valid files matching the manifest, reruns are no-ops, old versions are pruned", async () => {
  const t = await setup();
  try {
    const first = await t.addWork(1);
    for (let i = 2; i <= 30; i++) await t.addWork(i);
    await t.addWork(99, first); // exact duplicate image of work 1
    await runNeighbours({ db: t.db, bucket: t.bucket, log });
    const r1 = await runExport({ db: t.db, bucket: t.bucket, log });
    assert.equal(r1.published, true);
    assert.equal(r1.count, 31);

    const pointer = PointerSchema.parse(JSON.parse(new TextDecoder().decode((await t.bucket.get(CURRENT_POINTER_KEY))!)));
    assert.equal(pointer.version, r1.version);
    const manifestBytes = (await t.bucket.get(artifactKey(r1.version, MANIFEST_FILE)))!;
    assert.equal(await sha256Hex(manifestBytes), pointer.manifestSha256);
    const manifest = ManifestSchema.parse(JSON.parse(new TextDecoder().decode(manifestBytes)));
    assert.equal(manifest.count, 31);
    assert.equal(manifest.dim, DESCRIPTOR_DIM);
    assert.equal(manifest.neighboursK, 20);
    for (const f of Object.values(manifest.files)) {
      const bytes = (await t.bucket.get(artifactKey(r1.version, f.path)))!;
      assert.equal(await sha256Hex(bytes), f.sha256, f.path);
      assert.equal(bytes.byteLength, f.bytes);
    }
    const get = async (name: string) => (await t.bucket.get(artifactKey(r1.version, name)))!;
    const ids = decodeBinary(await get("ids.u32"), MAGIC.ids);
    const vec = decodeBinary(await get("vectors.i8"), MAGIC.vectors);
    const nn = decodeBinary(await get("neighbours.u32"), MAGIC.neighbours);
    const ns = decodeBinary(await get("neighbours.i8"), MAGIC.neighbourScores);
    assert.equal(ids.header.rows, 31);
    assert.deepEqual([vec.header.rows, vec.header.cols], [31, DESCRIPTOR_DIM]);
    assert.deepEqual([nn.header.rows, nn.header.cols, ns.header.cols], [31, 20, 20]);
    const idArr = new Uint32Array(ids.payload.slice().buffer);
    const nnArr = new Uint32Array(nn.payload.slice().buffer);
    const scores = new Int8Array(ns.payload.slice().buffer);
    // Row 0 (work 1) never lists itself or its exact duplicate (last row); scores descend.
    const row0 = [...nnArr.subarray(0, 20)];
    assert.ok(!row0.includes(0) && !row0.includes(30));
    for (let j = 1; j < 20; j++) assert.ok(scores[j - 1]! >= scores[j]!);
    assert.ok(row0.every((i) => i < 31 && idArr[i]! > 0));

    // Same inputs: nothing new.
    const r2 = await runExport({ db: t.db, bucket: t.bucket, log });
    assert.equal(r2.published, false);
    assert.equal(r2.version, r1.version);

    // Each added work is a new version; only the newest 3 survive.
    const versions = [r1.version];
    for (let i = 0; i < 3; i++) {
      await t.addWork(200 + i);
      await runNeighbours({ db: t.db, bucket: t.bucket, log });
      const r = await runExport({ db: t.db, bucket: t.bucket, log });
      assert.equal(r.published, true);
      assert.notEqual(r.version, versions.at(-1));
      versions.push(r.version);
    }
    const left = new Set<string>();
    for await (const o of t.bucket.list("artifacts/v/")) left.add(o.key.split("/")[2]!);
    assert.deepEqual([...left].sort(), versions.slice(-3).sort());
    const rows = await t.db.select().from(artifactVersions);
    assert.equal(rows.find((r) => r.version === versions[0])?.status, "retired");
    assert.equal(rows.filter((r) => r.status === "published").map((r) => r.version).join(), versions.at(-1));
  } finally {
    await t.close();
  }
});

test("export refuses to publish without neighbours for the same inputs", async () => {
  const t = await setup();
  try {
    await t.addWork(1);
    await t.addWork(2);
    await assert.rejects(runExport({ db: t.db, bucket: t.bucket, log }), /run the neighbours stage first/);
    assert.equal(await t.bucket.get(CURRENT_POINTER_KEY), null);
  } finally {
    await t.close();
  }
});
