// `npm run check:deploy`: bundles the Worker exactly as `wrangler deploy` would (--dry-run, nothing is
// uploaded) and compares its size with Cloudflare's limits. Prints JSON on its last line; exits 1 when over.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

// https://developers.cloudflare.com/workers/platform/limits/ — compressed script size per plan.
const LIMITS = { freeGzipBytes: 3 * 1024 * 1024, paidGzipBytes: 10 * 1024 * 1024, startupMs: 1000 };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

export function checkDeploy(): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), "artsnob-deploy-"));
  try {
    const r = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" },
    });
    if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.stderr || r.stdout}`);
    const files = filesUnder(outdir).filter((f) => !f.endsWith(".map") && !f.endsWith("README.md"));
    let raw = 0;
    const chunks: Buffer[] = [];
    const modules = files.map((f) => {
      const bytes = readFileSync(f);
      raw += statSync(f).size;
      chunks.push(bytes);
      return { file: f.slice(outdir.length + 1), bytes: bytes.length };
    });
    const gzip = gzipSync(Buffer.concat(chunks), { level: 9 }).length;
    return {
      ok: gzip <= LIMITS.freeGzipBytes,
      raw_bytes: raw,
      gzip_bytes: gzip,
      raw_kib: Math.round(raw / 1024),
      gzip_kib: Math.round(gzip / 1024),
      limit_free_gzip_kib: LIMITS.freeGzipBytes / 1024,
      limit_paid_gzip_kib: LIMITS.paidGzipBytes / 1024,
      share_of_free_limit: Math.round((gzip / LIMITS.freeGzipBytes) * 1000) / 1000,
      modules,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (import.meta.filename === process.argv[1]) {
  const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const result = checkDeploy();
  console.log(JSON.stringify(result));
  process.exit(result.ok ? 0 : 1);
}
