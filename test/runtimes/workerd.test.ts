// The edge API contract against the Worker on real workerd (wrangler's unstable_startWorker with
// wrangler.toml): local R2 seeded from the fixture's LocalBucket, the DB reached through the local
// libsql Hrana stand-in on the same file, and the same JSON as the Node server.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { createLogger } from "../../common/log.ts";
import { startServer, type RunningServer } from "../../edge/adapter/node.ts";
import { startLibsqlServer, type LibsqlServer } from "../../scripts/dev/libsql-server.ts";
import { seedLocalR2 } from "../../scripts/dev/seed-r2.ts";
import { ensureWasmBuilt } from "../../wasm/src/build-for-tests.ts";
import { seedFixture, type Seeded } from "../fixtures/seed.ts";
import { checkApiContract, checkSite, SITE_BUILT } from "./api-contract.ts";

process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
const repo = fileURLToPath(new URL("../..", import.meta.url));

type StartedWorker = { ready: Promise<void>; url: Promise<URL>; dispose(): Promise<void> };
let seeded: Seeded;
let libsql: LibsqlServer;
let worker: StartedWorker;
let node: RunningServer;

before(async () => {
  process.chdir(repo);
  ensureWasmBuilt();
  seeded = await seedFixture();
  libsql = await startLibsqlServer({ dbPath: seeded.dbPath, port: 0 });
  const persistTo = join(seeded.dir, "wrangler-state");
  await seedLocalR2({ from: seeded.bucket, persistTo });
  const { unstable_startWorker } = await import("wrangler");
  worker = (await unstable_startWorker({
    config: join(repo, "wrangler.toml"),
    bindings: { DATABASE_URL: { type: "plain_text", value: libsql.url }, ARTIFACT_POINTER_TTL_MS: { type: "plain_text", value: "0" } },
    dev: { persist: persistTo, server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, logLevel: "warn" },
  })) as unknown as StartedWorker;
  await worker.ready;
  node = await startServer({ port: 0, dataDir: seeded.dir, databaseUrl: seeded.dbUrl, bucket: seeded.bucketDir, site: false, logger: createLogger({}, "error"), options: { requestLog: false } });
});

after(async () => {
  await worker?.dispose();
  await node?.close();
  await libsql?.close();
  seeded?.cleanup();
});

test("workerd: API contract over HTTP, same JSON as node", async () => {
  const base = (await worker.url).origin;
  const fromWorker = await checkApiContract(base, seeded);
  const fromNode = await checkApiContract(node.url, seeded);
  assert.deepEqual(fromWorker, fromNode);
  const health = (await (await fetch(`${base}/api/health`)).json()) as { runtime: string };
  assert.equal(health.runtime, "workerd");
});

test("workerd: rate limits live in the RATE_LIMITER Durable Object (one count for every isolate)", async () => {
  const base = (await worker.url).origin;
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) {
    const res = await fetch(`${base}/api/account/signin`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: "do-victim@example.org", password: `wrong-password-${i}` }),
    });
    statuses.push(res.status);
    if (res.status === 429) assert.ok(Number(res.headers.get("retry-after")) > 0);
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429], "5 per email, then refused");
  // Asked after the sign-ins: it would name the in-isolate fallback had any call to the object failed.
  const health = (await (await fetch(`${base}/api/health`)).json()) as { rateLimits: string };
  assert.equal(health.rateLimits, "durable-object");
});

test("workerd: serves the SSR site", { skip: !SITE_BUILT && "site not built" }, async () => {
  await checkSite((await worker.url).origin, seeded);
});
