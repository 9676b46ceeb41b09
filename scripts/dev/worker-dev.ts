// `wrangler dev` with everything the Worker needs locally, in one command:
//   npx tsx scripts/dev/worker-dev.ts [-- extra wrangler dev args]
// 1. applies migrations to the embedded DB file (DATABASE_URL, default file:data/artsnob.db),
// 2. starts the libsql Hrana stand-in for Turso on that file (LIBSQL_PORT, default: a free port),
// 3. copies the local bucket (BUCKET, default data/bucket) into wrangler's local R2 (.wrangler/state),
// 4. runs `wrangler dev --ip 127.0.0.1 --port $PORT` with DATABASE_URL pointing at the stand-in.
// Node, Deno and workerd then serve the same data.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../common/config.ts";
import { openDatabase } from "../../common/db/client.ts";
import { applyMigrations, ensureFileDir } from "../../common/db/migrate.ts";
import { startLibsqlServer } from "./libsql-server.ts";
import { seedLocalR2 } from "./seed-r2.ts";

const config = loadConfig(process.env);
if (!config.databaseUrl.startsWith("file:")) throw new Error("worker-dev serves a local file DB; for Turso set DATABASE_URL in wrangler.toml/secrets and run `wrangler dev` directly");
const dbPath = config.databaseUrl.slice("file:".length);
ensureFileDir(config.databaseUrl);
const handle = openDatabase(config.databaseUrl);
await applyMigrations(handle.db);
handle.close();

const persistTo = ".wrangler/state";
const libsql = await startLibsqlServer({ dbPath, port: Number(process.env.LIBSQL_PORT ?? 0) });
console.log(JSON.stringify({ level: "info", msg: "libsql stand-in for Turso", url: libsql.url, db: dbPath }));
const copied = await seedLocalR2({ from: config.bucket, persistTo });
console.log(JSON.stringify({ level: "info", msg: "local R2 seeded", objects: copied, from: config.bucket }));

const wrangler = fileURLToPath(new URL("../../node_modules/.bin/wrangler", import.meta.url));
const child = spawn(
  wrangler,
  ["dev", "--ip", config.HOST, "--port", String(config.PORT), "--persist-to", persistTo, "--var", `DATABASE_URL:${libsql.url}`, ...process.argv.slice(2).filter((a) => a !== "--")],
  { stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } },
);
const stop = () => {
  if (child.exitCode === null) child.kill("SIGINT");
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
child.once("exit", (code) => {
  void libsql.close().then(() => process.exit(code ?? 0));
});
