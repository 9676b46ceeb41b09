// Node runtime (the embedded default): libsql file + local bucket + site statics + site SSR, one process.
//   startServer({ port: 0, dataDir }) → { url, port, close }   (tests, scripts/start.ts)
//   `npx tsx edge/adapter/node.ts`                               (reads common/config.ts, prints the URL)
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, type AppConfig } from "../../common/config.ts";
import { createLogger, type Logger } from "../../common/log.ts";
import { createApp } from "../app.ts";
import { localDeps, type LocalDepsOptions } from "./local.ts";

export interface StartOptions extends LocalDepsOptions {
  port?: number;
  host?: string;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger({ service: "edge", runtime: "node" });
  const local = await localDeps("node", logger, opts);
  const edge = createApp(local.deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer, reject) => {
    const s = serve({ fetch: edge.fetch, port: opts.port ?? 8787, hostname: opts.host ?? "127.0.0.1" }, () => resolveServer(s));
    s.once("error", (err) => {
      local.close();
      reject(err);
    });
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
          local.close();
          done();
        });
      }),
  };
}

/** The server settings that come from the environment (common/config.ts). */
export function serverOptionsFromConfig(config: AppConfig): StartOptions {
  return {
    port: config.PORT,
    host: config.HOST,
    dataDir: config.ARTSNOB_DATA_DIR,
    databaseUrl: config.databaseUrl,
    databaseAuthToken: config.DATABASE_AUTH_TOKEN,
    bucket: config.bucket,
    sessionSecret: config.SESSION_SECRET,
  };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: "edge", runtime: "node" }, config.LOG_LEVEL);
  const server = await startServer({ ...serverOptionsFromConfig(config), logger });
  logger.info("listening", { url: server.url });
  console.log(`Art Snob is at ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await main();
}
