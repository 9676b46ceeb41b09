// Child process of bench:api: the Node server on a prepared data dir, request log off, only errors
// logged; prints {"url": …} on stdout once listening. Stops on SIGTERM.
import { createLogger } from "../../common/log.ts";
import { startServer } from "../../edge/adapter/node.ts";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: api-server.ts <dataDir>");
const server = await startServer({ port: 0, dataDir, site: false, logger: createLogger({ service: "bench" }, "error"), options: { requestLog: false } });
console.log(JSON.stringify({ url: server.url }));
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
