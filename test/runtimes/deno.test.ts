// The edge API contract against `deno run edge/adapter/deno.ts` serving the seeded data, and the
// same JSON as the Node server for the same requests.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { createLogger } from "../../common/log.ts";
import { startServer, type RunningServer } from "../../edge/adapter/node.ts";
import { ensureWasmBuilt } from "../../wasm/src/build-for-tests.ts";
import { seedFixture, type Seeded } from "../fixtures/seed.ts";
import { checkApiContract, checkSite, SITE_BUILT } from "./api-contract.ts";
import { spawnServer, type SpawnedServer } from "./spawn-server.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let seeded: Seeded;
let deno: SpawnedServer;
let node: RunningServer;

before(async () => {
  ensureWasmBuilt();
  seeded = await seedFixture();
  // The ELF binary itself: killing the npm launcher (bin.cjs) would orphan the real deno process.
  deno = await spawnServer(`${repo}/node_modules/deno/deno`, ["run", "-A", "edge/adapter/deno.ts"], {
    cwd: repo,
    env: {
      ...process.env,
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1",
      ARTSNOB_DATA_DIR: seeded.dir,
      DATABASE_URL: seeded.dbUrl,
      BUCKET: seeded.bucketDir,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
    },
    timeoutMs: 60_000,
  });
  node = await startServer({ port: 0, dataDir: seeded.dir, databaseUrl: seeded.dbUrl, bucket: seeded.bucketDir, site: false, logger: createLogger({}, "error"), options: { requestLog: false } });
});

after(async () => {
  await deno?.stop();
  await node?.close();
  seeded?.cleanup();
});

test("deno: API contract over HTTP, same JSON as node", async () => {
  const fromDeno = await checkApiContract(deno.url, seeded);
  const fromNode = await checkApiContract(node.url, seeded);
  assert.deepEqual(fromDeno, fromNode);
  const health = (await (await fetch(`${deno.url}/api/health`)).json()) as { runtime: string };
  assert.equal(health.runtime, "deno");
  assert.doesNotMatch(deno.output(), /"level":"error"/);
});

test("deno: serves the SSR site", { skip: !SITE_BUILT && "site not built" }, async () => {
  await checkSite(deno.url, seeded);
});
