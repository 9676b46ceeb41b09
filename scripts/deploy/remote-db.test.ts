// The database as production uses it: a remote libsql URL with a token (Turso), played by the local
// Hrana stand-in (scripts/dev/libsql-server.ts) requiring a bearer token. `npm run db:migrate -- --url
// … --token …` migrates it (twice: idempotent; a wrong token fails clearly), then Node's
// @libsql/client and the Deno edge server use it over HTTP. (The Worker's web client with a token is
// covered by test/runtimes/worker-corrupt.test.ts.)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createClient } from "@libsql/client";
import { startLibsqlServer, type LibsqlServer } from "../dev/libsql-server.ts";
import { spawnServer } from "../../test/runtimes/spawn-server.ts";
import { REPO } from "./local-edge.ts";

const TOKEN = "test-token-123";
const dir = mkdtempSync(join(tmpdir(), "artsnob-remote-db-"));
let server: LibsqlServer;

before(async () => {
  server = await startLibsqlServer({ dbPath: join(dir, "remote.db"), port: 0, token: TOKEN });
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Asynchronous on purpose: the stand-in runs in this process and must keep answering.
function migrate(url: string, token: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", "db:migrate", "--", "--url", url, "--token", token], { cwd: REPO, env: { ...process.env, DATABASE_URL: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

test("npm run db:migrate migrates a remote libsql URL with a token, idempotently", async () => {
  const t0 = Date.now();
  const first = await migrate(server.url, TOKEN);
  const firstMs = Date.now() - t0;
  assert.equal(first.status, 0, first.stderr + first.stdout);
  assert.match(first.stdout, /"msg":"migrations applied"/);
  const again = await migrate(server.url, TOKEN);
  assert.equal(again.status, 0, again.stderr + again.stdout);
  console.log(JSON.stringify({ measured: { firstMigrateMs: firstMs } }));
});

test("a wrong token is refused with a clear error and a non-zero exit", async () => {
  const r = await migrate(server.url, "wrong");
  assert.notEqual(r.status, 0);
  assert.match(r.stderr + r.stdout, /401|Unauthorized/i);
});

test("Node: @libsql/client over HTTP sees the migrated schema, FTS5 included", async () => {
  const client = createClient({ url: server.url, authToken: TOKEN });
  try {
    const tables = (await client.execute("select name from sqlite_master where type = 'table'")).rows.map((r) => String(r.name));
    for (const t of ["artworks", "shops", "users", "artifact_versions", "artworks_fts"]) assert.ok(tables.includes(t), `${t} in ${tables.join(",")}`);
    await client.batch(["insert into shops (id, name, base_url) values ('s', 'S', 'https://s.example')", "insert into artworks (shop_id, source_url, canonical_url, title) values ('s', 'https://s.example/1', 'https://s.example/1', 'Blue Heron at Dawn')"], "write");
    const hit = await client.execute({ sql: "select rowid from artworks_fts where artworks_fts match ?", args: ['"heron"'] });
    assert.equal(hit.rows.length, 1);
  } finally {
    client.close();
  }
});

test("Deno: the edge server reads the remote database over HTTP", async () => {
  const deno = await spawnServer(`${REPO}/node_modules/deno/deno`, ["run", "-A", "edge/adapter/deno.ts"], {
    cwd: REPO,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ARTSNOB_DATA_DIR: dir, DATABASE_URL: server.url, DATABASE_AUTH_TOKEN: TOKEN, BUCKET: join(dir, "bucket"), HOST: "127.0.0.1", PORT: "0", ARTSNOB_SERVE_SITE: "0", LOG_LEVEL: "info" },
    timeoutMs: 60_000,
  });
  try {
    const health = (await (await fetch(`${deno.url}/api/health`)).json()) as { runtime: string; db: string };
    assert.equal(health.runtime, "deno");
    assert.equal(health.db, "ok");
    const feed = (await (await fetch(`${deno.url}/api/feed?limit=5`)).json()) as { items: Array<{ title: string }> };
    assert.deepEqual(feed.items.map((w) => w.title), ["Blue Heron at Dawn"]);
  } finally {
    await deno.stop();
  }
});
