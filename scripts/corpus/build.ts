// Builds an openclipart corpus tier from Debian's openclipart-svg package.
//   npx tsx scripts/corpus/build.ts --tier sample|full [--out DIR] [--cache DIR] [--seed S]
// sample: 320 works, committed under test/fixtures/corpus/openclipart (works.json, images/, ATTRIBUTION.md).
// full:   the ≈2.6k curated set (flags/signs capped), written to .cache/corpus/full unless --out.
// Progress goes to stderr as JSON lines; the run is deterministic for a given package version and seed.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { attributionMarkdown } from "./attribution.ts";
import { curate } from "./curate.ts";
import { ensurePackage } from "./fetch-package.ts";
import { progress, warn } from "./progress.ts";
import { renderSvgToWebp } from "./render.ts";
import { scanTree } from "./scan.ts";
import { kindOf, rankWorks } from "./select.ts";
import type { CorpusWork } from "./types.ts";

interface Tier {
  /** Target number of works; Infinity = every curated work that renders. */
  count: number;
  capShare: number;
  defaultOut: string;
}

const TIERS: Record<string, Tier> = {
  sample: { count: 320, capShare: 0.05, defaultOut: "test/fixtures/corpus/openclipart" },
  full: { count: Infinity, capShare: 0.2, defaultOut: ".cache/corpus/full" },
};
const MAX_SIDE = 512;
const QUALITY = 72;
const RENDER_CONCURRENCY = 2;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tier: { type: "string", default: "sample" },
      out: { type: "string" },
      cache: { type: "string", default: ".cache/corpus" },
      seed: { type: "string", default: "art-snob-openclipart-v1" },
    },
  });
  const tier = TIERS[values.tier!];
  if (!tier) throw new Error(`--tier must be one of ${Object.keys(TIERS).join(", ")} (got "${values.tier}")`);
  const outDir = resolve(values.out ?? tier.defaultOut);
  const cacheDir = resolve(values.cache!);
  const started = Date.now();

  const svgRoot = ensurePackage(cacheDir);
  const packageVersion = debVersion(cacheDir);
  progress("scanning", { svgRoot });
  const designs = scanTree(svgRoot);
  const { works: curated, stats } = curate(designs);
  progress("curated", { ...stats });

  const target = Number.isFinite(tier.count) ? tier.count : curated.length;
  const ranked = rankWorks(curated, target, { seed: values.seed!, capShare: tier.capShare, multiCategoryFirst: 16, specialTitlesFirst: 8 });
  progress("ranked", { candidates: ranked.length, target });

  const imagesDir = join(outDir, "images");
  mkdirSync(imagesDir, { recursive: true });
  const done: Array<{ rank: number; work: CorpusWork }> = [];
  let next = 0;
  let failed = 0;
  let bytes = 0;
  // Render in rank order, skipping failures, until the tier is full. Every rank below the last one taken
  // gets processed, so "first `target` successes by rank" is deterministic whatever the interleaving.
  const worker = async () => {
    while (done.length < target && next < ranked.length) {
      const rank = next++;
      const w = ranked[rank]!;
      try {
        const svg = readFileSync(join(svgRoot, w.sourcePath), "utf8");
        const r = await renderSvgToWebp(svg, { maxSide: MAX_SIDE, quality: QUALITY });
        writeFileSync(join(imagesDir, `${w.id}.webp`), r.webp);
        bytes += r.webp.length;
        done.push({ rank, work: { ...w, image: `images/${w.id}.webp`, width: r.width, height: r.height } });
        if (done.length % 50 === 0) progress("rendered", { done: done.length, target, failed, bytes });
      } catch (err) {
        failed++;
        warn("render failed, skipped", { id: w.id, sourcePath: w.sourcePath, error: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: RENDER_CONCURRENCY }, worker));
  const out = done
    .sort((a, b) => a.rank - b.rank)
    .slice(0, target)
    .map((d) => d.work);

  out.sort((a, b) => a.id.localeCompare(b.id));
  // Remove images left over from an earlier run with another selection.
  const keep = new Set(out.map((w) => `${w.id}.webp`));
  for (const f of readdirSync(imagesDir)) if (!keep.has(f)) rmSync(join(imagesDir, f));

  writeFileSync(join(outDir, "works.json"), JSON.stringify(out, null, 1) + "\n");
  writeFileSync(join(outDir, "ATTRIBUTION.md"), attributionMarkdown(out, packageVersion));
  const kinds = { art: 0, flag: 0, sign: 0 };
  for (const w of out) kinds[kindOf(w)]++;
  progress("done", {
    tier: values.tier,
    outDir,
    works: out.length,
    failed,
    imageBytes: out.reduce((n, w) => n + statSync(join(outDir, w.image)).size, 0),
    multiCategory: out.filter((w) => w.categories.length > 1).length,
    artists: new Set(out.map((w) => w.artist)).size,
    ...kinds,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  });
}

function debVersion(cacheDir: string): string {
  const deb = readdirSync(cacheDir).find((f) => f.startsWith("openclipart-svg_") && f.endsWith(".deb"));
  return deb ? decodeURIComponent(deb.split("_")[1] ?? "unknown") : "unknown";
}

main().catch((err: unknown) => {
  process.stderr.write(JSON.stringify({ level: "error", msg: "corpus build failed", error: (err as Error).message }) + "\n");
  process.exitCode = 1;
});
