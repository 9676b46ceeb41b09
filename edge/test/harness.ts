// In-process app over a seeded temp DB, plus a tiny cookie-keeping client, for the write-side tests.
import { LocalBucket } from "../../common/bucket/local.ts";
import { openDatabase, type DbHandle } from "../../common/db/client.ts";
import { createLogger } from "../../common/log.ts";
import { compileVectorWasm } from "../../wasm/src/load-node.ts";
import { ensureWasmBuilt } from "../../wasm/src/build-for-tests.ts";
import { seedFixture, type Seeded } from "../../test/fixtures/seed.ts";
import { createApp, type EdgeApp } from "../app.ts";
import type { AppOptions } from "../deps.ts";

export { Client } from "./client.ts";

export interface Harness {
  seeded: Seeded;
  edge: EdgeApp;
  handle: DbHandle;
  close(): void;
}

export async function startHarness(options: AppOptions = {}, count = 12): Promise<Harness> {
  ensureWasmBuilt();
  const seeded = await seedFixture({ count });
  const handle = openDatabase(seeded.dbUrl);
  const edge = createApp({
    db: handle.db,
    bucket: new LocalBucket(seeded.bucketDir),
    vectorModule: () => compileVectorWasm(),
    runtime: "node",
    logger: createLogger({}, "error"),
    options: { requestLog: false, ...options },
    sessionSecret: "test-secret-0123456789abcdef",
  });
  return { seeded, edge, handle, close: () => (handle.close(), seeded.cleanup()) };
}
