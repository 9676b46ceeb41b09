// Recommendation quality (issue 6): simulated users who like works from 1–3 categories. After 5 likes,
// precision@20 of the recommended feed (share of the top 20 from the liked top-level categories) and
// distinct artists in the top 20, for the edge's ranker (through the real HTTP handler, in-process) and,
// in the same run and on the same data, two baselines: random, and the original's algorithm (§1.4.6:
// liked clusters shuffled by a seed, +1 for the 25 nearest neighbours of positives, clusters interleaved).
// Two settings: with the shop's categories (clusters derived from them) and without any categories
// (vectors + tags only) — the second is what a shop without a category tree gets.
//
//   npm run eval:reco                       # full tier (.cache/corpus/full) if built, else the 320 sample
//   npm run eval:reco -- --users 300 --corpus test/fixtures/corpus/openclipart
// Progress on stderr; the last stdout line is the JSON result.
import { mulberry32 } from "../../common/random.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { RecommendedResponse } from "../../common/api-reads.ts";
import { createLogger } from "../../common/log.ts";
import { localDeps } from "../../edge/adapter/local.ts";
import { createApp } from "../../edge/app.ts";
import { NO_NEIGHBOUR } from "../../common/artifacts/read.ts";
import { WEIGHTS, jitter } from "../../edge/services/ranking.ts";
import { buildCorpusDataDir, defaultCorpus, type BuiltWork } from "./reco-corpus.ts";

const { values: args } = parseArgs({
  options: {
    users: { type: "string", default: "200" },
    corpus: { type: "string" },
    likes: { type: "string", default: "5" },
    seed: { type: "string", default: "1" },
    /** Only one setting: "categories" or "none". */
    only: { type: "string" },
    /** Ranker weight overrides for tuning, e.g. tag=1.5,meanLike=1 (edge/services/ranking.ts WEIGHTS). */
    weights: { type: "string" },
  },
});
const USERS = Number(args.users);
const LIKES = Number(args.likes);
const TOP = 20;
const log = (s: string) => process.stderr.write(`${s}\n`);

const rng = mulberry32;

interface User {
  cats: string[];
  likes: number[];
}

function makeUsers(works: BuiltWork[], seed: number): User[] {
  const rand = rng(seed);
  const byTop = new Map<string, number[]>();
  for (const w of works) byTop.set(w.top, [...(byTop.get(w.top) ?? []), w.id]);
  const cats = [...byTop.keys()].filter((c) => byTop.get(c)!.length >= 20).sort();
  const users: User[] = [];
  for (let u = 0; u < USERS; u++) {
    const m = 1 + (u % 3);
    const chosen: string[] = [];
    while (chosen.length < m) {
      const c = cats[Math.floor(rand() * cats.length)]!;
      if (!chosen.includes(c)) chosen.push(c);
    }
    const likes: number[] = [];
    for (let i = 0; likes.length < LIKES; i++) {
      const pool = byTop.get(chosen[i % m]!)!;
      const id = pool[Math.floor(rand() * pool.length)]!;
      if (!likes.includes(id)) likes.push(id);
    }
    users.push({ cats: chosen, likes });
  }
  return users;
}

interface Scores {
  precisionAt20: number;
  distinctArtistsTop20: number;
  byCategories: Record<string, number>;
}

function score(users: User[], lists: number[][], byId: Map<number, BuiltWork>): Scores {
  let p = 0;
  let artists = 0;
  const byM: Record<string, number[]> = {};
  users.forEach((u, i) => {
    const top = lists[i]!.slice(0, TOP);
    const hits = top.filter((id) => u.cats.includes(byId.get(id)!.top)).length / TOP;
    p += hits;
    artists += new Set(top.map((id) => byId.get(id)!.artist ?? `anon-${id}`)).size;
    (byM[`${u.cats.length}`] ??= []).push(hits);
  });
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    precisionAt20: r(p / users.length),
    distinctArtistsTop20: r(artists / users.length),
    byCategories: Object.fromEntries(Object.entries(byM).map(([m, xs]) => [m, r(xs.reduce((a, b) => a + b, 0) / xs.length)])),
  };
}

async function runSetting(corpusDir: string, categories: boolean): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "artsnob-eval-reco-"));
  try {
    const built = await buildCorpusDataDir({ corpusDir, dir, categories, log });
    const byId = new Map(built.works.map((w) => [w.id, w]));
    const users = makeUsers(built.works, Number(args.seed));
    const { deps, close } = await localDeps("node", createLogger({}, "error"), { dataDir: dir, site: false, options: { requestLog: false } });
    try {
      const { app, services } = createApp(deps);
      const ours: number[][] = [];
      const t0 = performance.now();
      for (const u of users) {
        const r = await app.request(`/api/feed/recommended?likes=${u.likes.join(",")}&limit=${TOP}`);
        if (r.status !== 200) throw new Error(`recommended → ${r.status} ${await r.text()}`);
        ours.push(((await r.json()) as RecommendedResponse).items.map((i) => i.id));
      }
      const msPerRequest = (performance.now() - t0) / users.length;

      // Baselines over the same read model (clusters, neighbour table) the edge serves.
      const model = await services.reads.models.current();
      const set = model.set!;
      const rand = rng(99);
      const all = model.snapshot.ids;
      const random = users.map((u) => {
        const out = new Set<number>();
        while (out.size < TOP) {
          const id = all[Math.floor(rand() * all.length)]!;
          if (!u.likes.includes(id)) out.add(id);
        }
        return [...out];
      });
      const original = users.map((u, ui) => {
        const seed = 1000 + ui;
        const positives = new Set<number>();
        for (const l of u.likes) {
          const row = set.rowOf.get(l)!;
          for (let j = 0; j < Math.min(25, set.k); j++) {
            const nb = set.neighbours[row * set.k + j]!;
            if (nb !== NO_NEIGHBOUR) positives.add(set.ids[nb]!);
          }
        }
        const clusters = [...new Set(u.likes.map((l) => model.clusterOf.get(l)!))];
        const lists = clusters.map((c) => {
          const ids = model.clusters[c]!.members.filter((id) => !u.likes.includes(id));
          const shuffled = [...ids].sort((a, b) => jitter(seed, a) - jitter(seed, b));
          return shuffled.map((id, i) => ({ id, s: positives.has(id) ? 1 : 0, i })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.id);
        });
        const out: number[] = [];
        for (let i = 0; out.length < TOP && lists.some((l) => i < l.length); i++) for (const l of lists) if (l[i] !== undefined && out.length < TOP && !out.includes(l[i]!)) out.push(l[i]!);
        return out;
      });
      return {
        works: built.works.length,
        clusters: model.clusters.length,
        clusterSource: model.clusterSource,
        ours: { ...score(users, ours, byId), msPerRequest: Math.round(msPerRequest * 10) / 10 },
        original: score(users, original, byId),
        random: score(users, random, byId),
      };
    } finally {
      close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const kv of (args.weights ?? "").split(",").filter(Boolean)) {
  const [k, v] = kv.split("=");
  if (!(k! in WEIGHTS) || !Number.isFinite(Number(v))) throw new Error(`--weights: unknown or bad ${kv}`);
  (WEIGHTS as Record<string, number>)[k!] = Number(v);
}
const corpusDir = resolve(args.corpus ?? defaultCorpus());
log(`corpus ${corpusDir}, ${USERS} users, ${LIKES} likes each, weights ${JSON.stringify(WEIGHTS)}`);
const withCategories = args.only === "none" ? null : await runSetting(corpusDir, true);
if (withCategories) log(JSON.stringify(withCategories));
const withoutCategories = args.only === "categories" ? null : await runSetting(corpusDir, false);
const result = {
  corpus: corpusDir.replace(resolve("."), "."),
  users: USERS,
  likes: LIKES,
  top: TOP,
  seed: Number(args.seed),
  weights: WEIGHTS,
  targets: { precisionAt20: 0.7, distinctArtistsTop20: 8 },
  withCategories,
  withoutCategories,
};
console.log(JSON.stringify(result));
