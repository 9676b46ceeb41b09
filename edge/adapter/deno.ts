// Deno runtime: the same app and local wiring as Node, served with Deno.serve.
//   `deno task serve` (= deno run -A edge/adapter/deno.ts). Reads common/config.ts from the environment;
//   PORT=0 picks a free port. Prints one JSON line `{"msg":"listening","url":…}` once ready.
import { loadConfig } from "../../common/config.ts";
import { createLogger } from "../../common/log.ts";
import { createApp } from "../app.ts";
import { localDeps } from "./local.ts";

// Minimal typing of the Deno globals we use (tsc runs with Node types only).
declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { hostname: string; port: number }) => void },
    handler: (req: Request) => Response | Promise<Response>,
  ): { finished: Promise<void>; shutdown(): Promise<void> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code: number): never;
};

const config = loadConfig(Deno.env.toObject());
const logger = createLogger({ service: "edge", runtime: "deno" }, config.LOG_LEVEL);
const local = await localDeps("deno", logger, {
  dataDir: config.ARTSNOB_DATA_DIR,
  databaseUrl: config.databaseUrl,
  databaseAuthToken: config.DATABASE_AUTH_TOKEN,
  bucket: config.bucket,
  sessionSecret: config.SESSION_SECRET,
  site: Deno.env.toObject().ARTSNOB_SERVE_SITE !== "0",
});
const edge = createApp(local.deps);
const server = Deno.serve(
  {
    port: config.PORT,
    hostname: config.HOST,
    onListen: ({ hostname, port }) => logger.info("listening", { url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}` }),
  },
  edge.fetch,
);
const stop = () => void server.shutdown().then(() => (local.close(), Deno.exit(0)));
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
