// npm run bench:site — Lighthouse 12.2.3 on Debian Chromium (chrome-launcher, no network but
// loopback) against the Node server on 127.0.0.1 over the fixture corpus: performance and
// accessibility of the home and detail pages with the desktop and mobile presets, CLS, and the
// kilobytes of JavaScript transferred on first load. Prints JSON on its last line.
//   --data-dir <dir>  reuse a pipeline output (default: run the pipeline on the fixture shop into a temp dir)
//   --no-build        use the current site/dist + site/server build
// Run it under `flock /tmp/artsnob-bench.lock npm run bench:site` on the shared machine.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { createLogger } from "../../common/log.ts";
import { startServer } from "../../edge/adapter/node.ts";
import { CHROMIUM_PATH, OFFLINE_CHROMIUM_FLAGS } from "../../test/e2e/browser.ts";

const repoDir = fileURLToPath(new URL("../..", import.meta.url));
const args = process.argv.slice(2);
const argDataDir = args.includes("--data-dir") ? args[args.indexOf("--data-dir") + 1] : undefined;
const CHROME_FLAGS = ["--headless=new", ...OFFLINE_CHROMIUM_FLAGS, "--disable-extensions", "--disable-default-apps"];

interface Result {
  page: string;
  preset: "desktop" | "mobile";
  url: string;
  performance: number;
  accessibility: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  jsKB: number;
  totalKB: number;
  failedA11y: string[];
}

async function prepareData(): Promise<{ dir: string; temp: boolean }> {
  if (argDataDir) return { dir: argDataDir, temp: false };
  const dir = mkdtempSync(join(tmpdir(), "artsnob-bench-site-"));
  const [{ runPipeline }, { loadConfig }, { startFixtureShop }] = await Promise.all([
    import("../../batch/pipeline.ts"),
    import("../../common/config.ts"),
    import("../../test/fixtures/shop/server.ts"),
  ]);
  const shop = await startFixtureShop({ host: "127.0.0.1", port: 0 });
  try {
    await runPipeline({ config: loadConfig({ ARTSNOB_DATA_DIR: dir }), shopUrl: shop.url, delayMs: 0, progress: false, log: createLogger({ bench: "site" }, "error") });
  } finally {
    await shop.close();
  }
  return { dir, temp: true };
}

async function main(): Promise<void> {
  if (!args.includes("--no-build")) {
    const b = spawnSync("npm", ["run", "--silent", "build:site"], { cwd: repoDir, encoding: "utf8" });
    if (b.status !== 0) throw new Error(`build:site failed:\n${b.stdout}\n${b.stderr}`);
  }
  const data = await prepareData();
  const server = await startServer({ port: 0, host: "127.0.0.1", dataDir: data.dir, logger: createLogger({ service: "bench" }, "error"), options: { requestLog: false } } as Parameters<typeof startServer>[0]);
  const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH ?? CHROMIUM_PATH, chromeFlags: CHROME_FLAGS, logLevel: "silent" });
  const results: Result[] = [];
  try {
    const feed = (await (await fetch(`${server.url}/api/feed?limit=1`)).json()) as { items: Array<{ id: number }> };
    const firstId = feed.items[0]?.id;
    if (!firstId) throw new Error("the corpus is empty");
    const pages = { home: `${server.url}/`, detail: `${server.url}/art/${firstId}` };
    for (const [page, url] of Object.entries(pages)) {
      for (const preset of ["desktop", "mobile"] as const) {
        const flags = { port: chrome.port, output: "json" as const, logLevel: "error" as const, onlyCategories: ["performance", "accessibility"] };
        const runner = await lighthouse(url, flags, preset === "desktop" ? desktopConfig : undefined);
        const lhr = runner?.lhr;
        if (!lhr) throw new Error(`lighthouse gave no result for ${url}`);
        const requests = ((lhr.audits["network-requests"]?.details as { items?: Array<{ resourceType?: string; transferSize?: number }> } | undefined)?.items ?? []);
        const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
        const failedA11y = Object.values(lhr.audits)
          .filter((a) => lhr.categories.accessibility?.auditRefs.some((r) => r.id === a.id && r.weight > 0) && a.score !== null && a.score < 1)
          .map((a) => a.id);
        results.push({
          page,
          preset,
          url: url.replace(server.url, ""),
          performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
          accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
          lcpMs: Math.round(lhr.audits["largest-contentful-paint"]?.numericValue ?? -1),
          tbtMs: Math.round(lhr.audits["total-blocking-time"]?.numericValue ?? -1),
          cls: Math.round((lhr.audits["cumulative-layout-shift"]?.numericValue ?? -1) * 1000) / 1000,
          jsKB: kb(requests.filter((r) => r.resourceType === "Script").reduce((n, r) => n + (r.transferSize ?? 0), 0)),
          totalKB: kb(requests.reduce((n, r) => n + (r.transferSize ?? 0), 0)),
          failedA11y,
        });
        console.error(JSON.stringify(results.at(-1)));
      }
    }
  } finally {
    await chrome.kill();
    await server.close();
    if (data.temp) rmSync(data.dir, { recursive: true, force: true });
  }
  const worst = {
    performance: Math.min(...results.map((r) => r.performance)),
    accessibility: Math.min(...results.map((r) => r.accessibility)),
    cls: Math.max(...results.map((r) => r.cls)),
    jsKB: Math.max(...results.map((r) => r.jsKB)),
  };
  const targets = { performance: 95, accessibility: 95, cls: 0.02, jsKB: 50 };
  const met = worst.performance >= targets.performance && worst.accessibility >= targets.accessibility && worst.cls <= targets.cls && worst.jsKB <= targets.jsKB;
  console.log(JSON.stringify({ bench: "site", lighthouse: "12.2.3", chromium: "/usr/bin/chromium", results, worst, targets, met }));
}

await main();
