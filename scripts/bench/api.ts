// bench:api (issue 6): autocannon on 127.0.0.1 against the Node server over a catalogue scaled up from
// the real corpus (default 100k works; scripts/eval/reco-corpus.ts: real classic-v1 vectors and metadata,
// synthetic copies for the rest). The server runs in a child process; autocannon in this one.
//
//   npm run bench:api                                  # 100k works, 10 s per endpoint, 16 connections
//   npm run bench:api -- --works 20000 --duration 5 --connections 8 --only similar,search
// The data dir is cached in .cache/bench-api/<works>/ (delete it to rebuild). Last stdout line: JSON.
import { mulberry32 } from "../../common/random.ts";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
// @ts-expect-error autocannon ships no types (no @types package is installed)
import autocannon from "autocannon";
import { buildCorpusDataDir, defaultCorpus, type BuiltWork } from "../eval/reco-corpus.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const { values: args } = parseArgs({
  options: {
    works: { type: "string", default: "100000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
    only: { type: "string" },
    corpus: { type: "string" },
  },
});
const WORKS = Number(args.works);
const log = (s: string) => process.stderr.write(`${s}\n`);
const DATA_VERSION = "1";

async function dataDir(): Promise<{ dir: string; works: BuiltWork[] }> {
  const dir = join(ROOT, ".cache/bench-api", String(WORKS));
  const marker = join(dir, "done.json");
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, "utf8")) as { version: string; works: BuiltWork[] };
    if (m.version === DATA_VERSION) return { dir, works: m.works };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const built = await buildCorpusDataDir({ corpusDir: resolve(args.corpus ?? defaultCorpus()), dir, scale: WORKS, log });
  writeFileSync(marker, JSON.stringify({ version: DATA_VERSION, works: built.works }));
  log(`data dir built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { dir, works: built.works };
}

function startChild(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts/bench/api-server.ts"), dir], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((ok, fail) => {
    let out = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) ok({ url: (JSON.parse(line) as { url: string }).url, stop: () => new Promise((done) => (child.once("exit", () => done()), child.kill("SIGTERM"))) });
    });
    child.once("exit", (code) => fail(new Error(`server exited with ${code}`)));
  });
}

const rng = mulberry32;

const { dir, works } = await dataDir();
const rand = rng(5);
const pick = () => works[Math.floor(rand() * works.length)]!.id;
const corpus = JSON.parse(readFileSync(join(resolve(args.corpus ?? defaultCorpus()), "works.json"), "utf8")) as Array<{ title: string; tags: string[] }>;
const words = [...new Set(corpus.flatMap((w) => [...w.title.toLowerCase().split(/[^a-z]+/), ...w.tags]).filter((w) => /^[a-z]{4,12}$/.test(w)))];
const word = () => words[Math.floor(rand() * words.length)]!;
const tags = [...new Set(corpus.flatMap((w) => w.tags).filter((t) => /^[a-z]{3,15}$/.test(t)))];

/** Path generators per endpoint; every request draws new parameters. */
const endpoints: Record<string, () => string> = {
  similar: () => `/api/art/${pick()}/similar`,
  recommended_personal: () => `/api/feed/recommended?likes=${pick()},${pick()},${pick()}`,
  recommended_cold: () => `/api/feed/recommended`,
  search_lexical: () => `/api/search?q=${word()}`,
  detail: () => `/api/art/${pick()}`,
  random: () => `/api/feed/random?seed=${Math.floor(rand() * 50)}`,
  tag: () => `/api/tags/${tags[Math.floor(rand() * tags.length)]}`,
  explore: () => `/api/feed/explore?seed=${Math.floor(rand() * 1000)}`,
};
const only = args.only ? args.only.split(",") : Object.keys(endpoints);

const server = await startChild(dir);
const results: Record<string, unknown> = {};
try {
  // Warm-up: build the read model and the WASM index, touch each endpoint.
  for (const name of only) for (let i = 0; i < 20; i++) await (await fetch(server.url + endpoints[name]!())).arrayBuffer();
  for (const name of only) {
    const gen = endpoints[name]!;
    const r = await autocannon({
      url: server.url,
      connections: Number(args.connections),
      duration: Number(args.duration),
      requests: [{ method: "GET", setupRequest: (req: Record<string, unknown>) => ({ ...req, path: gen() }) }],
    });
    results[name] = {
      reqPerSec: Math.round(r.requests.average),
      p50ms: r.latency.p50,
      p99ms: r.latency.p99,
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
      requests: r.requests.total,
    };
    log(`${name}: ${JSON.stringify(results[name])}`);
  }
} finally {
  await server.stop();
}
console.log(JSON.stringify({ works: works.length, connections: Number(args.connections), durationS: Number(args.duration), endpoints: results }));
