// The local Hrana-over-HTTP stand-in answers @libsql/client/web exactly like the embedded file client.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createClient as createFileClient, type Client } from "@libsql/client";
import { createClient as createWebClient } from "@libsql/client/web";
import { startLibsqlServer, type LibsqlServer } from "./libsql-server.ts";

let dir: string;
let server: LibsqlServer;
let web: Client;
let file: Client;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "libsql-stand-in-"));
  server = await startLibsqlServer({ dbPath: join(dir, "t.db"), port: 0, token: "secret-token" });
  web = createWebClient({ url: server.url, authToken: "secret-token" });
  file = createFileClient({ url: `file:${join(dir, "t.db")}` });
});

after(async () => {
  web?.close();
  file?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("DDL, writes and reads round-trip every value type", async () => {
  await web.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB, big INTEGER)");
  const ins = await web.execute({ sql: "INSERT INTO t (name, score, data, big) VALUES (?, ?, ?, ?)", args: ["a 'quoted' ünïcode", 1.5, new Uint8Array([0, 1, 255]), 1099511627777n] });
  assert.equal(ins.rowsAffected, 1);
  assert.equal(ins.lastInsertRowid, 1n);
  await web.execute({ sql: "INSERT INTO t (name, score) VALUES (:name, :score)", args: { name: "b", score: 2 } });
  const fromWeb = await web.execute("SELECT id, name, score, data, big FROM t ORDER BY id");
  const fromFile = await file.execute("SELECT id, name, score, data, big FROM t ORDER BY id");
  assert.deepEqual(fromWeb.columns, fromFile.columns);
  assert.deepEqual(fromWeb.columnTypes, fromFile.columnTypes);
  assert.deepEqual(JSON.stringify(fromWeb.rows.map((r) => Array.from(r).map(String))), JSON.stringify(fromFile.rows.map((r) => Array.from(r).map(String))));
  assert.equal(fromWeb.rows[0]!.score, 1.5);
  assert.equal(fromWeb.rows[1]!.score, 2);
});

test("batch is atomic: a failing statement rolls back the others", async () => {
  await web.execute("CREATE TABLE u (id INTEGER PRIMARY KEY, v TEXT UNIQUE)");
  await assert.rejects(web.batch(["INSERT INTO u (v) VALUES ('x')", "INSERT INTO u (v) VALUES ('x')"], "write"), /UNIQUE/);
  assert.equal((await web.execute("SELECT count(*) AS n FROM u")).rows[0]!.n, 0);
  const ok = await web.batch([{ sql: "INSERT INTO u (v) VALUES (?)", args: ["y"] }, "SELECT v FROM u"], "write");
  assert.equal(ok[1]!.rows[0]!.v, "y");
});

test("interactive transactions keep one connection across requests (baton)", async () => {
  const tx = await web.transaction("write");
  await tx.execute("INSERT INTO u (v) VALUES ('in-tx')");
  assert.equal((await tx.execute("SELECT count(*) AS n FROM u WHERE v = 'in-tx'")).rows[0]!.n, 1);
  await tx.rollback();
  assert.equal((await web.execute("SELECT count(*) AS n FROM u WHERE v = 'in-tx'")).rows[0]!.n, 0);
  const tx2 = await web.transaction("write");
  await tx2.execute("INSERT INTO u (v) VALUES ('kept')");
  await tx2.commit();
  assert.equal((await file.execute("SELECT count(*) AS n FROM u WHERE v = 'kept'")).rows[0]!.n, 1);
});

test("SQL errors come back as errors, not crashes; bad tokens are refused", async () => {
  await assert.rejects(web.execute("SELEC nope"), /syntax error/i);
  assert.equal((await web.execute("SELECT 1 AS one")).rows[0]!.one, 1);
  const wrong = createWebClient({ url: server.url, authToken: "wrong" });
  await assert.rejects(wrong.execute("SELECT 1"), /401|Unauthorized/i);
  wrong.close();
  await web.executeMultiple("CREATE TABLE w (a); INSERT INTO w VALUES (1); INSERT INTO w VALUES (2);");
  assert.equal((await web.execute("SELECT sum(a) AS s FROM w")).rows[0]!.s, 3);
});
