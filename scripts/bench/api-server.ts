// Child process of bench:api: the Node server on a prepared data dir, request log off, only errors
// logged; prints {"url": …} on stdout once listening. Stops on SIGTERM. Per-client rate limits are
// lifted (every benchmark request comes from one client, 127.0.0.1): this measures throughput.
import { createLogger } from "../../common/log.ts";
import { startServer } from "../../edge/adapter/node.ts";
import type { AppOptions } from "../../edge/deps.ts";

const unlimited = { take: async () => ({ ok: true, retryAfterS: 0, remaining: 1_000_000 }) };
const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: api-server.ts <dataDir>");
const server = await startServer({ port: 0, dataDir, site: false, logger: createLogger({ service: "bench" }, "error"), options: { requestLog: false, rateLimitStore: unlimited } as AppOptions });
console.log(JSON.stringify({ url: server.url }));
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
