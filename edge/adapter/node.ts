// Node runtime (the embedded default): libsql file + local bucket + site statics + site SSR, one process.
//   startServer({ port: 0, dataDir }) → { url, close }     (tests, scripts/start.ts)
//   `npx tsx edge/adapter/node.ts`                          (reads common/config.ts, prints the URL)
import { serve } from "@hono/node-server";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SiteHandler } from "../../common/api.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import type { Bucket } from "../../common/bucket/types.ts";
import { loadConfig } from "../../common/config.ts";
import { openDatabase } from "../../common/db/client.ts";
import { applyMigrations, ensureFileDir } from "../../common/db/migrate.ts";
import { createLogger, type Logger } from "../../common/log.ts";
import { createApp, type AppOptions } from "../app.ts";
import { staticFiles } from "./static-files.ts";

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
export const WASM_PATH = root("wasm/build/vector.wasm");
export const SITE_DIST = root("site/dist");
export const SITE_SSR = root("site/server/entry.fetch.js");

export interface StartOptions {
  port?: number;
  host?: string;
  /** Data root; DB at <dataDir>/artsnob.db and bucket at <dataDir>/bucket unless given. */
  dataDir?: string;
  databaseUrl?: string;
  databaseAuthToken?: string;
  bucket?: Bucket | string;
  /** Apply migrations on start (default: only for `file:` URLs, the embedded default). */
  migrate?: boolean;
  /** Serve site/dist and the SSR bundle when present (default true). */
  site?: boolean;
  logger?: Logger;
  options?: AppOptions;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

let modulePromise: Promise<WebAssembly.Module> | null = null;
export function nodeVectorModule(path = WASM_PATH): () => Promise<WebAssembly.Module> {
  return () => (modulePromise ??= readFile(path).then((bytes) => WebAssembly.compile(bytes)));
}

export async function loadSiteHandler(path = SITE_SSR): Promise<SiteHandler | undefined> {
  if (!existsSync(path)) return undefined;
  const mod = (await import(pathToFileURL(path).href)) as { default?: SiteHandler };
  return typeof mod.default === "function" ? mod.default : undefined;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const dataDir = (opts.dataDir ?? "data").replace(/\/+$/, "");
  const logger = opts.logger ?? createLogger({ service: "edge", runtime: "node" });
  const dbUrl = opts.databaseUrl ?? `file:${dataDir}/artsnob.db`;
  ensureFileDir(dbUrl);
  const handle = openDatabase(dbUrl, opts.databaseAuthToken);
  if (opts.migrate ?? dbUrl.startsWith("file:")) await applyMigrations(handle.db);
  const bucket = typeof opts.bucket === "object" ? opts.bucket : openBucket(opts.bucket ?? `${dataDir}/bucket`);
  const withSite = opts.site ?? true;
  const edge = createApp({
    db: handle.db,
    bucket,
    vectorModule: nodeVectorModule(),
    runtime: "node",
    logger,
    site: withSite ? await loadSiteHandler() : undefined,
    assets: withSite && existsSync(SITE_DIST) ? staticFiles(SITE_DIST) : undefined,
    options: opts.options,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer) => {
    const s = serve({ fetch: edge.fetch, port: opts.port ?? 8787, hostname: opts.host ?? "127.0.0.1" }, () => resolveServer(s));
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((done) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => {
          handle.close();
          done();
        });
      }),
  };
}

function openBucket(spec: string): Bucket {
  if (/^[a-z0-9]+:\/\//.test(spec)) throw new Error(`bucket ${spec}: only local directories are wired into the Node server yet`);
  return new LocalBucket(spec);
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: "edge", runtime: "node" }, config.LOG_LEVEL);
  const server = await startServer({
    port: config.PORT,
    host: config.HOST,
    dataDir: config.ARTSNOB_DATA_DIR,
    databaseUrl: config.databaseUrl,
    databaseAuthToken: config.DATABASE_AUTH_TOKEN,
    bucket: config.bucket,
    logger,
  });
  logger.info("listening", { url: server.url });
  console.log(`Art Snob is at ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
