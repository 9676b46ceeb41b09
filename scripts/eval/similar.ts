// Visual-similarity evaluation (issue 4): near-duplicates of corpus images are queries, all originals
// are the gallery, and a query hits when its own source ranks first (R@1) or in the top 10 (R@10).
// Runs the active embedder (classic descriptor by default, or CLIP) and, beside it in the same run,
// the trivial 16×16-pixel cosine baseline. Also, unless disabled, openmoji colour → line-art pairs.
//
//   npm run eval:similar                                   # classic, 320-work sample
//   npm run eval:similar -- --corpus .cache/corpus/full    # larger tier
//   npm run eval:similar -- --embedder clip --model-dir models/clip-vit-base-patch32
//
// Flags: --corpus DIR (works.json + images/, or a folder of images), --limit N (first N works),
// --queries N (every k-th work as a query, the gallery stays whole; for the large tier),
// --model-id ID and --dtype fp32|fp16|q8 (passed to the CLIP embedder), --misses (missed files to stderr),
// --transforms a,b,… , --openmoji N (pairs, 0 = skip), --cache DIR (reuse generated variants).
// Progress goes to stderr; the last stdout line is the JSON result.
import { readFile, readdir, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import sharp from "sharp";
import type { ImageEmbedder } from "../../batch/features/embedder.ts";
import { quantizeI8 } from "../../common/artifacts/format.ts";
import { classicEmbedder } from "../../batch/features/descriptor.ts";
import { TRANSFORMS, transformByName, type Transform } from "./transforms.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DEFAULT_CORPUS = join(ROOT, "test/fixtures/corpus/openclipart");
const BATCH = 16;
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** The trivial peer: a 16×16 RGB thumbnail (aspect ignored) compared by cosine. */
export const baselineEmbedder: ImageEmbedder = {
  id: "baseline-16px",
  kind: "classic",
  dim: 16 * 16 * 3,
  async embedImages(images) {
    return Promise.all(
      images.map(async (b) => {
        const raw = await sharp(b).flatten({ background: "#ffffff" }).removeAlpha().resize(16, 16, { fit: "fill" }).raw().toBuffer();
        const v = Float32Array.from(raw, (x) => x / 255);
        const n = Math.hypot(...v) || 1;
        return v.map((x) => x / n);
      }),
    );
  },
};

/** Loads the embedder named on the command line. CLIP (batch/features/clip/) is imported only when asked for. */
async function loadEmbedder(name: string, opts: { modelDir?: string; modelId?: string; dtype?: string }): Promise<ImageEmbedder> {
  if (name === "classic") return classicEmbedder;
  if (name === "clip") {
    if (!opts.modelDir) throw new Error("--embedder clip needs --model-dir DIR (a CLIP model in the Hugging Face layout, see docs/models.md)");
    const { createClipImageEmbedder } = await import("../../batch/features/clip/index.ts");
    const dtype = opts.dtype as "fp32" | "fp16" | "q8" | undefined;
    return createClipImageEmbedder({ modelDir: resolve(opts.modelDir), modelId: opts.modelId, dtype });
  }
  throw new Error(`unknown --embedder "${name}" (classic | clip)`);
}

async function listCorpus(dir: string): Promise<string[]> {
  const worksJson = join(dir, "works.json");
  if (existsSync(worksJson)) {
    const works = JSON.parse(await readFile(worksJson, "utf8")) as { image?: string }[];
    return works.filter((w) => typeof w.image === "string").map((w) => join(dir, w.image!));
  }
  const imgDir = existsSync(join(dir, "images")) ? join(dir, "images") : dir;
  return (await readdir(imgDir)).filter((f) => /\.(webp|png|jpe?g|gif|avif|tiff?)$/i.test(f)).sort().map((f) => join(imgDir, f));
}

async function embedAll(e: ImageEmbedder, images: Uint8Array[], label: string): Promise<{ vectors: Float32Array[]; ms: number }> {
  const t0 = performance.now();
  const vectors: Float32Array[] = [];
  for (let i = 0; i < images.length; i += BATCH) {
    vectors.push(...(await e.embedImages(images.slice(i, i + BATCH))));
    if ((i / BATCH) % 20 === 0) process.stderr.write(`\r${e.id} ${label} ${Math.min(i + BATCH, images.length)}/${images.length}   `);
  }
  process.stderr.write("\n");
  return { vectors, ms: performance.now() - t0 };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Rank of the true source among the gallery (0 = first). Gallery items with byte-identical source files
 * (the corpus has a few) count as the source; other ties count against the query (conservative).
 */
function rankOf(q: Float32Array, gallery: Float32Array[], source: number, same: string[]): number {
  const own = dot(q, gallery[source]!);
  let rank = 0;
  for (let g = 0; g < gallery.length; g++) if (same[g] !== same[source] && dot(q, gallery[g]!) >= own) rank++;
  return rank;
}

interface Recall {
  r1: number;
  r10: number;
  /** R@1 again after int8 quantisation of both sides, as the edge stores vectors (common/artifacts/format.ts). */
  r1_i8?: number;
  /** R@1 when a gallery twin of the source (the same drawing filed twice, or its exact mirror image) also counts. */
  r1_twin?: number;
  queries: number;
}

function asInt8(vectors: Float32Array[]): Float32Array[] {
  return vectors.map((v) => {
    const q = new Int8Array(v.length);
    quantizeI8(v, q);
    return Float32Array.from(q);
  });
}

function recall(queries: Float32Array[], gallery: Float32Array[], sources: number[], same: string[]): Recall & { misses: number[] } {
  let r1 = 0;
  let r10 = 0;
  const misses: number[] = [];
  queries.forEach((q, i) => {
    const r = rankOf(q, gallery, sources[i]!, same);
    if (r === 0) r1++;
    else misses.push(i);
    if (r < 10) r10++;
  });
  const round = (x: number) => Math.round((x / queries.length) * 1000) / 1000;
  return { r1: round(r1), r10: round(r10), queries: queries.length, misses };
}

async function variants(t: Transform, files: string[], originals: Uint8Array[], indices: number[], cache: string | undefined): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const i of indices) {
    const cached = cache ? join(cache, t.name, `${i}-${files[i]!.split("/").pop()}.bin`) : null;
    if (cached && existsSync(cached)) {
      out.push(new Uint8Array(await readFile(cached)));
      continue;
    }
    const v = await t.apply(originals[i]!, i);
    if (cached) {
      await mkdir(join(cache!, t.name), { recursive: true });
      await writeFile(cached, v);
    }
    out.push(v);
  }
  return out;
}

/**
 * Groups gallery works that are the same picture: byte-identical files, or 32×32 thumbnails that match
 * within 6/255 on every channel either directly or mirrored (larger corpus tiers file some drawings
 * twice, and a mirror-invariant descriptor cannot tell a left arrow from its right twin). Returns a
 * group id per work, for the lenient `r1_twin` figure only; r1/r10 count just byte-identical files.
 */
async function twinGroups(originals: Uint8Array[], contentIds: string[]): Promise<string[]> {
  const S = 32;
  const thumbs = await Promise.all(
    originals.map(async (b) => new Uint8Array(await sharp(b).flatten({ background: "#ffffff" }).removeAlpha().resize(S, S, { fit: "fill" }).raw().toBuffer())),
  );
  const mirrored = thumbs.map((t) => {
    const m = new Uint8Array(t.length);
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) for (let c = 0; c < 3; c++) m[(y * S + x) * 3 + c] = t[(y * S + S - 1 - x) * 3 + c]!;
    return m;
  });
  const close = (a: Uint8Array, b: Uint8Array) => {
    for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 6) return false;
    return true;
  };
  const parent = originals.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < thumbs.length; i++)
    for (let j = i + 1; j < thumbs.length; j++)
      if (contentIds[i] === contentIds[j] || close(thumbs[i]!, thumbs[j]!) || close(thumbs[i]!, mirrored[j]!)) parent[find(j)] = find(i);
  return originals.map((_, i) => `twin-${find(i)}`);
}

/** openmoji colour SVG vs its black line-art SVG: gallery = colour, queries = line art. */
async function openmojiPairs(n: number): Promise<{ colour: Uint8Array[]; line: Uint8Array[] } | null> {
  const base = join(ROOT, "node_modules/openmoji");
  if (!existsSync(join(base, "data/openmoji.json"))) return null;
  const all = JSON.parse(await readFile(join(base, "data/openmoji.json"), "utf8")) as { hexcode: string; skintone: string }[];
  const usable = all.filter((e) => !e.skintone && existsSync(join(base, "color/svg", `${e.hexcode}.svg`)) && existsSync(join(base, "black/svg", `${e.hexcode}.svg`)));
  const step = Math.max(1, Math.floor(usable.length / n));
  const picked = usable.filter((_, i) => i % step === 0).slice(0, n);
  const render = async (p: string) => new Uint8Array(await sharp(await readFile(p), { density: 256 }).flatten({ background: "#ffffff" }).png().toBuffer());
  const colour: Uint8Array[] = [];
  const line: Uint8Array[] = [];
  for (const e of picked) {
    colour.push(await render(join(base, "color/svg", `${e.hexcode}.svg`)));
    line.push(await render(join(base, "black/svg", `${e.hexcode}.svg`)));
  }
  return { colour, line };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: "string" },
      embedder: { type: "string", default: "classic" },
      "model-dir": { type: "string" },
      "model-id": { type: "string" },
      dtype: { type: "string" },
      limit: { type: "string" },
      queries: { type: "string" },
      transforms: { type: "string" },
      openmoji: { type: "string", default: "400" },
      cache: { type: "string" },
      misses: { type: "boolean", default: false },
    },
  });
  const corpus = resolve(values.corpus ?? DEFAULT_CORPUS);
  let files = await listCorpus(corpus);
  if (values.limit) files = files.slice(0, Number(values.limit));
  if (files.length < 2) throw new Error(`corpus ${corpus} has ${files.length} images; need at least 2`);
  const transforms = values.transforms ? values.transforms.split(",").map((s) => transformByName(s.trim())) : [...TRANSFORMS];
  const openmojiN = Number(values.openmoji);
  if (!Number.isInteger(openmojiN) || openmojiN < 0) throw new Error("--openmoji must be a whole number ≥ 0");
  const active = await loadEmbedder(values.embedder!, { modelDir: values["model-dir"], modelId: values["model-id"], dtype: values.dtype });
  const embedders = [active, baselineEmbedder];

  const originals = await Promise.all(files.map(async (f) => new Uint8Array(await readFile(f))));
  const wanted = values.queries ? Number(values.queries) : files.length;
  if (!Number.isInteger(wanted) || wanted < 1) throw new Error("--queries must be a whole number ≥ 1");
  const step = Math.max(1, Math.floor(files.length / wanted));
  const sources = files.map((_, i) => i).filter((i) => i % step === 0).slice(0, wanted);
  const queries = new Map<string, Uint8Array[]>();
  for (const t of transforms) {
    process.stderr.write(`generating ${t.name} (${t.description})\n`);
    queries.set(t.name, await variants(t, files, originals, sources, values.cache));
  }
  const moji = openmojiN > 0 ? await openmojiPairs(openmojiN) : null;

  const contentIds = originals.map((b) => sha256(b));
  const twinIds = await twinGroups(originals, contentIds);
  const twins = originals.length - new Set(twinIds).size;
  const results: Record<string, unknown> = {};
  const missLog: Record<string, Record<string, string[]>> = {};
  for (const e of embedders) {
    const gallery = await embedAll(e, originals, "gallery");
    const galleryI8 = asInt8(gallery.vectors);
    const perTransform: Record<string, Recall> = {};
    let embedMs = gallery.ms;
    let embedded = originals.length;
    for (const t of transforms) {
      const q = await embedAll(e, queries.get(t.name)!, t.name);
      embedMs += q.ms;
      embedded += q.vectors.length;
      const { misses, ...r } = recall(q.vectors, gallery.vectors, sources, contentIds);
      perTransform[t.name] = {
        ...r,
        r1_i8: recall(asInt8(q.vectors), galleryI8, sources, contentIds).r1,
        r1_twin: recall(q.vectors, gallery.vectors, sources, twinIds).r1,
      };
      (missLog[e.id] ??= {})[t.name] = misses.map((i) => files[sources[i]!]!.split("/").pop()!);
    }
    let openmoji: Recall | null = null;
    if (moji) {
      const g = await embedAll(e, moji.colour, "openmoji-colour");
      const q = await embedAll(e, moji.line, "openmoji-line");
      const { misses: _m, ...r } = recall(q.vectors, g.vectors, moji.colour.map((_, i) => i), moji.colour.map((b) => sha256(b)));
      openmoji = r;
    }
    results[e.id] = { dim: e.dim, msPerImage: Math.round((embedMs / embedded) * 100) / 100, transforms: perTransform, openmoji };
    await e.close?.();
  }
  if (values.misses) {
    const groups = new Map<string, string[]>();
    twinIds.forEach((id, i) => groups.set(id, [...(groups.get(id) ?? []), files[i]!.split("/").pop()!]));
    const twinList = [...groups.values()].filter((g) => g.length > 1);
    process.stderr.write(JSON.stringify({ misses: missLog, twins: twinList }, null, 1) + "\n");
  }
  const summary = {
    corpus: corpus.startsWith(ROOT) ? corpus.slice(ROOT.length) : corpus,
    works: files.length,
    queriesPerTransform: sources.length,
    galleryTwins: twins,
    active: active.id,
    baseline: baselineEmbedder.id,
    results,
  };
  process.stdout.write(JSON.stringify(summary) + "\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`eval:similar failed: ${(e as Error).message}\n`);
  process.exit(1);
});
