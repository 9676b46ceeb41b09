// Builds a self-contained data dir (libsql file + local bucket with a published artifact set) from the
// real openclipart corpus, for eval:reco and bench:api. Vectors are the real classic-v1 descriptors of
// the corpus images (cached in .cache/eval-reco/). `scale` > corpus size adds synthetic copies: copy k
// of work w keeps w's metadata (title suffixed), gets w's vector plus small noise, and neighbours
// mapped from w's real neighbour list (brute force is out of reach at 100k in a benchmark setup).
import { mulberry32 } from "../../common/random.ts";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { MANIFEST_FILE, NO_NEIGHBOUR } from "../../common/artifacts/read.ts";
import { ARTIFACT_FILES, ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, ELEMENT, I8_SCALE, MAGIC, encodeBinary, quantizeI8, sha256Hex, type Manifest } from "../../common/artifacts/format.ts";
import { CURRENT_POINTER_KEY, artifactKey, imageKey } from "../../common/bucket/keys.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { openDatabase } from "../../common/db/client.ts";
import { applyMigrations } from "../../common/db/migrate.ts";
import { artworks, shops } from "../../common/db/schema.ts";
import { orientationOf, type PrintSize } from "../../common/domain.ts";
import { DESCRIPTOR_ID, classicEmbedder } from "../../batch/features/descriptor.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const FULL_CORPUS = join(ROOT, ".cache/corpus/full");
export const SAMPLE_CORPUS = join(ROOT, "test/fixtures/corpus/openclipart");
const K = 20;

export interface CorpusWork {
  title: string;
  artist: string | null;
  description: string | null;
  tags: string[];
  categories: string[];
  image: string;
  width: number;
  height: number;
}

export interface BuiltWork {
  id: number;
  base: number;
  artist: string | null;
  category: string | null;
  /** Top-level category of the source work (the eval's relevance label; never hidden). */
  top: string;
}

export function defaultCorpus(): string {
  return existsSync(join(FULL_CORPUS, "works.json")) ? FULL_CORPUS : SAMPLE_CORPUS;
}

/** Real classic-v1 vectors of the corpus images, cached by works.json hash. */
export async function corpusVectors(corpusDir: string, works: CorpusWork[], log: (s: string) => void): Promise<Float32Array[]> {
  const hash = createHash("sha256").update(readFileSync(join(corpusDir, "works.json"))).digest("hex").slice(0, 16);
  const cacheDir = join(ROOT, ".cache/eval-reco");
  const cache = join(cacheDir, `${DESCRIPTOR_ID}-${hash}.f32`);
  const dim = classicEmbedder.dim;
  if (existsSync(cache)) {
    const buf = readFileSync(cache);
    const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    if (all.length === works.length * dim) return works.map((_, i) => all.slice(i * dim, (i + 1) * dim));
  }
  const out: Float32Array[] = [];
  for (let i = 0; i < works.length; i += 16) {
    const batch = works.slice(i, i + 16).map((w) => new Uint8Array(readFileSync(join(corpusDir, w.image))));
    out.push(...(await classicEmbedder.embedImages(batch)));
    if (i % 320 === 0) log(`describe ${i}/${works.length}`);
  }
  mkdirSync(cacheDir, { recursive: true });
  const all = new Float32Array(works.length * dim);
  out.forEach((v, i) => all.set(v, i * dim));
  writeFileSync(cache, new Uint8Array(all.buffer));
  return out;
}

/** Exact top-K by int8 dot product (the base corpus only). */
function exactNeighbours(q: Int8Array, n: number, dim: number): { rows: Uint32Array; scores: Int8Array } {
  const rows = new Uint32Array(n * K).fill(NO_NEIGHBOUR);
  const scores = new Int8Array(n * K);
  const dots = new Float64Array(n);
  const order = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < n; o++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += q[r * dim + d]! * q[o * dim + d]!;
      dots[o] = o === r ? -Infinity : dot;
      order[o] = o;
    }
    order.sort((a, b) => dots[b]! - dots[a]! || a - b);
    for (let j = 0; j < K && j < n - 1; j++) {
      rows[r * K + j] = order[j]!;
      scores[r * K + j] = Math.max(-127, Math.min(127, Math.round(dots[order[j]!]! / I8_SCALE)));
    }
  }
  return { rows, scores };
}

const rng = mulberry32;

export interface BuildOptions {
  corpusDir: string;
  dir: string;
  /** Total works (≥ corpus size adds synthetic copies). Default: the corpus size. */
  scale?: number;
  /** Keep the shop categories (false: every work uncategorised, clusters must come from vectors/tags). */
  categories?: boolean;
  log?: (s: string) => void;
}

export async function buildCorpusDataDir(opts: BuildOptions): Promise<{ dbUrl: string; bucketDir: string; works: BuiltWork[]; dim: number }> {
  const log = opts.log ?? (() => undefined);
  const works = (JSON.parse(readFileSync(join(opts.corpusDir, "works.json"), "utf8")) as CorpusWork[]).filter((w) => typeof w.image === "string");
  const vectors = await corpusVectors(opts.corpusDir, works, log);
  const dim = classicEmbedder.dim;
  const n0 = works.length;
  const total = Math.max(n0, opts.scale ?? n0);
  const copies = Math.ceil(total / n0);
  mkdirSync(opts.dir, { recursive: true });
  const dbUrl = `file:${join(opts.dir, "artsnob.db")}`;
  const bucketDir = join(opts.dir, "bucket");
  const handle = openDatabase(dbUrl);
  const built: BuiltWork[] = [];
  const rand = rng(7);
  try {
    await applyMigrations(handle.db);
    await handle.db.run(sql`PRAGMA journal_mode = WAL`);
    await handle.db.insert(shops).values({ id: "openclipart-prints", name: "Openclipart Prints", baseUrl: "http://127.0.0.1:9/", currency: "USD", affiliateTemplate: "{url}?ref=artsnob&size={size}" }).onConflictDoNothing();
    const rows: (typeof artworks.$inferInsert)[] = [];
    for (let i = 0; i < total; i++) {
      const base = i % n0;
      const copy = Math.floor(i / n0);
      const w = works[base]!;
      const price = 1500 + (base % 7) * 500;
      const sizes: PrintSize[] = [
        { label: "Small", widthCm: 20, heightCm: 30, priceCents: price, currency: "USD", key: "s" },
        { label: "Large", widthCm: 50, heightCm: 70, priceCents: price * 3, currency: "USD", key: "l" },
      ];
      const hash = createHash("sha256").update(`${base}`).digest("hex");
      const url = `http://127.0.0.1:9/product/${i + 1}`;
      const category = opts.categories === false ? null : (w.categories[0] ?? null);
      rows.push({
        shopId: "openclipart-prints", sourceUrl: url, canonicalUrl: url, title: copy ? `${w.title} ${copy + 1}` : w.title, artist: w.artist, description: w.description,
        tags: w.tags, category, categories: category ? [category] : [], sizes, currency: "USD", minPriceCents: price, orientation: orientationOf(w.width, w.height),
        imageHash: hash, imageWidth: w.width, imageHeight: w.height,
        imageVariants: { w100: imageKey(hash, 100), w250: imageKey(hash, 250), w500: imageKey(hash, 500) }, affiliateUrl: `${url}?ref=artsnob&size={size}`,
      });
      built.push({ id: i + 1, base, artist: w.artist, category, top: (w.categories[0] ?? "").split("/")[0]! });
    }
    for (let i = 0; i < rows.length; i += 500) {
      await handle.db.transaction(async (tx) => {
        for (let j = i; j < Math.min(rows.length, i + 500); j += 50) await tx.insert(artworks).values(rows.slice(j, j + 50));
      });
      if (i % 20000 === 0) log(`insert ${i}/${rows.length}`);
    }
  } finally {
    handle.close();
  }

  // Artifacts: real vectors (+ noise for copies), exact neighbours on the base, mapped for copies.
  const q0 = new Int8Array(n0 * dim);
  vectors.forEach((v, r) => quantizeI8(v, q0, r * dim));
  log("neighbours");
  const nb0 = exactNeighbours(q0, n0, dim);
  const q = new Int8Array(total * dim);
  const rowsNb = new Uint32Array(total * K);
  const scoresNb = new Int8Array(total * K);
  const tmp = new Float64Array(dim);
  for (let i = 0; i < total; i++) {
    const base = i % n0;
    const copy = Math.floor(i / n0);
    if (copy === 0) q.set(q0.subarray(base * dim, (base + 1) * dim), i * dim);
    else {
      let s = 0;
      for (let d = 0; d < dim; d++) (tmp[d] = vectors[base]![d]! + (rand() - 0.5) * 0.02), (s += tmp[d]! * tmp[d]!);
      const norm = Math.sqrt(s) || 1;
      quantizeI8(Array.from(tmp, (x) => x / norm), q, i * dim);
    }
    for (let j = 0; j < K; j++) {
      const nb = nb0.rows[base * K + j]!;
      rowsNb[i * K + j] = nb === NO_NEIGHBOUR ? NO_NEIGHBOUR : copy * n0 + nb < total ? copy * n0 + nb : nb;
      scoresNb[i * K + j] = nb0.scores[base * K + j]!;
    }
  }
  const bucket = new LocalBucket(bucketDir);
  const version = `eval-${total}-${opts.categories === false ? "nocat" : "cat"}`;
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const files: Record<string, Uint8Array> = {
    [ARTIFACT_FILES.ids]: encodeBinary({ magic: MAGIC.ids, element: ELEMENT.u32, rows: total, cols: 1, scale: 1 }, bytes(Uint32Array.from(built, (b) => b.id))),
    [ARTIFACT_FILES.vectors]: encodeBinary({ magic: MAGIC.vectors, element: ELEMENT.i8, rows: total, cols: dim, scale: I8_SCALE }, bytes(q)),
    [ARTIFACT_FILES.neighbours]: encodeBinary({ magic: MAGIC.neighbours, element: ELEMENT.u32, rows: total, cols: K, scale: 1 }, bytes(rowsNb)),
    [ARTIFACT_FILES.neighbourScores]: encodeBinary({ magic: MAGIC.neighbourScores, element: ELEMENT.i8, rows: total, cols: K, scale: I8_SCALE }, bytes(scoresNb)),
  };
  const manifest: Manifest = {
    format: ARTIFACT_FORMAT, formatVersion: ARTIFACT_FORMAT_VERSION, version, createdAt: new Date().toISOString(), count: total, dim,
    embedder: { kind: "classic", id: DESCRIPTOR_ID }, neighboursK: K, files: {},
  };
  for (const [name, data] of Object.entries(files)) {
    await bucket.put(artifactKey(version, name), data);
    manifest.files[name] = { path: name, sha256: await sha256Hex(data), bytes: data.byteLength };
  }
  const manifestText = JSON.stringify(manifest);
  await bucket.put(artifactKey(version, MANIFEST_FILE), manifestText);
  await bucket.put(CURRENT_POINTER_KEY, JSON.stringify({ version, manifestSha256: await sha256Hex(manifestText), publishedAt: new Date().toISOString() }));
  return { dbUrl, bucketDir, works: built, dim };
}
