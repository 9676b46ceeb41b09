// The edge API contract against the Node adapter (real HTTP on 127.0.0.1, seeded libsql file + local bucket).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createLogger } from "../../common/log.ts";
import { startServer, type RunningServer } from "../../edge/adapter/node.ts";
import { seedFixture, type Seeded } from "../fixtures/seed.ts";
import { checkApiContract, checkSite, SITE_BUILT } from "./api-contract.ts";

let seeded: Seeded;
let server: RunningServer;

before(async () => {
  seeded = await seedFixture();
  server = await startServer({
    port: 0,
    dataDir: seeded.dir, // session secret and anything else the server keeps stays in the fixture
    databaseUrl: seeded.dbUrl,
    bucket: seeded.bucketDir,
    logger: createLogger({}, "error"),
    options: { requestLog: false },
  });
});

after(async () => {
  await server?.close();
  seeded?.cleanup();
});

test("node: API contract over HTTP", async () => {
  const snapshot = await checkApiContract(server.url, seeded);
  assert.ok(Object.keys(snapshot).length > 5);
});

test("node: serves the SSR site", { skip: !SITE_BUILT && "site not built" }, async () => {
  await checkSite(server.url, seeded);
});
