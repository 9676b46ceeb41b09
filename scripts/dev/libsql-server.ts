// A small local stand-in for Turso / sqld: the libsql "Hrana over HTTP" protocol (JSON encoding, versions
// 2 and 3: /v2/pipeline, /v3/pipeline, /v3/cursor) backed by a local libsql file. It lets `wrangler dev`
// and the workerd tests use `@libsql/client/web` against the same DB file the Node server uses.
// Development and tests only — production uses Turso.
//   npx tsx scripts/dev/libsql-server.ts --db data/artsnob.db [--port 8080] [--host 127.0.0.1] [--token T]
// Streams map to SQLite connections: a baton names an open stream (e.g. inside a transaction);
// a stream closed in autocommit state returns its connection to a small pool.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "libsql";

type Conn = InstanceType<typeof Database>;
type Statement = ReturnType<Conn["prepare"]>;

// ---- protocol values (JSON encoding) ----
type ProtoValue =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };

interface ProtoStmt {
  sql?: string;
  sql_id?: number;
  args?: ProtoValue[];
  named_args?: Array<{ name: string; value: ProtoValue }>;
  want_rows?: boolean;
}
type BatchCond =
  | { type: "ok" | "error"; step: number }
  | { type: "not"; cond: BatchCond }
  | { type: "and" | "or"; conds: BatchCond[] }
  | { type: "is_autocommit" };
interface ProtoBatch {
  steps: Array<{ condition?: BatchCond | null; stmt: ProtoStmt }>;
}
type StreamRequest =
  | { type: "close" }
  | { type: "execute"; stmt: ProtoStmt }
  | { type: "batch"; batch: ProtoBatch }
  | { type: "sequence"; sql?: string; sql_id?: number }
  | { type: "describe"; sql?: string; sql_id?: number }
  | { type: "store_sql"; sql_id: number; sql: string }
  | { type: "close_sql"; sql_id: number }
  | { type: "get_autocommit" };

interface StmtResult {
  cols: Array<{ name: string | null; decltype: string | null }>;
  rows: ProtoValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}

class ProtoError extends Error {
  constructor(message: string, readonly code = "PROTOCOL_ERROR") {
    super(message);
  }
}

function toJs(v: ProtoValue | undefined): unknown {
  if (!v || v.type === "null") return null;
  switch (v.type) {
    case "integer":
      return BigInt(v.value);
    case "float":
      return Number(v.value);
    case "text":
      return v.value;
    case "blob":
      return Buffer.from(v.base64 ?? "", "base64");
    default:
      throw new ProtoError(`unknown value type ${(v as { type: string }).type}`);
  }
}

function fromJs(v: unknown): ProtoValue {
  if (v === null || v === undefined) return { type: "null" };
  if (typeof v === "bigint") return { type: "integer", value: v.toString() };
  // Statements run with safeIntegers, so INTEGER arrives as bigint and a JS number is always REAL.
  if (typeof v === "number") return { type: "float", value: v };
  if (typeof v === "string") return { type: "text", value: v };
  if (v instanceof Uint8Array) return { type: "blob", base64: Buffer.from(v).toString("base64") };
  if (v instanceof ArrayBuffer) return { type: "blob", base64: Buffer.from(v).toString("base64") };
  return { type: "text", value: String(v) };
}

function sqliteError(err: unknown): { message: string; code: string } {
  const e = err as { message?: string; code?: string };
  return { message: e.message ?? String(err), code: e.code ?? "SQLITE_ERROR" };
}

// ---- streams ----
class Stream {
  readonly sqls = new Map<number, string>();
  lastUsed = Date.now();
  constructor(readonly conn: Conn) {}

  private sqlOf(s: { sql?: string; sql_id?: number }): string {
    if (s.sql !== undefined && s.sql !== null) return s.sql;
    if (s.sql_id !== undefined && s.sql_id !== null) {
      const sql = this.sqls.get(s.sql_id);
      if (sql === undefined) throw new ProtoError(`SQL text ${s.sql_id} not found`, "SQL_NOT_FOUND");
      return sql;
    }
    throw new ProtoError("statement has neither sql nor sql_id");
  }

  execute(stmt: ProtoStmt): StmtResult {
    const sql = this.sqlOf(stmt);
    const prepared: Statement = this.conn.prepare(sql);
    prepared.safeIntegers(true);
    const named = stmt.named_args ?? [];
    let params: Record<string, unknown> | unknown[];
    if (named.length > 0) {
      const obj: Record<string, unknown> = {};
      for (const { name, value } of named) obj[/^[:@$]/.test(name) ? name.slice(1) : name] = toJs(value);
      (stmt.args ?? []).forEach((v, i) => (obj[String(i + 1)] = toJs(v)));
      params = obj;
    } else {
      params = (stmt.args ?? []).map(toJs);
    }
    if (prepared.reader) {
      prepared.raw(true);
      const cols = (prepared.columns() as Array<{ name: string; type: string | null }>).map((c) => ({ name: c.name ?? null, decltype: c.type ?? null }));
      const rows = (prepared.all(params) as unknown[][]).map((r) => r.map(fromJs));
      const info = this.conn.prepare("SELECT changes(), last_insert_rowid()").raw(true).safeIntegers(true).get([]) as [bigint, bigint];
      const isWrite = !/^\s*(select|with|pragma|explain|values)\b/i.test(sql);
      return {
        cols,
        rows: stmt.want_rows === false ? [] : rows,
        affected_row_count: isWrite ? Number(info[0]) : 0,
        last_insert_rowid: isWrite ? info[1].toString() : null,
      };
    }
    const info = prepared.run(params) as { changes: number; lastInsertRowid: number | bigint };
    return { cols: [], rows: [], affected_row_count: Number(info.changes), last_insert_rowid: String(info.lastInsertRowid) };
  }

  batch(batch: ProtoBatch): { step_results: Array<StmtResult | null>; step_errors: Array<{ message: string; code: string } | null> } {
    const results: Array<StmtResult | null> = [];
    const errors: Array<{ message: string; code: string } | null> = [];
    const evalCond = (c: BatchCond): boolean => {
      switch (c.type) {
        case "ok":
          return results[c.step] != null;
        case "error":
          return errors[c.step] != null;
        case "not":
          return !evalCond(c.cond);
        case "and":
          return c.conds.every(evalCond);
        case "or":
          return c.conds.some(evalCond);
        case "is_autocommit":
          return !this.conn.inTransaction;
        default:
          throw new ProtoError(`unknown batch condition ${(c as { type: string }).type}`);
      }
    };
    for (const step of batch.steps) {
      if (step.condition && !evalCond(step.condition)) {
        results.push(null);
        errors.push(null);
        continue;
      }
      try {
        results.push(this.execute(step.stmt));
        errors.push(null);
      } catch (err) {
        if (err instanceof ProtoError) throw err;
        results.push(null);
        errors.push(sqliteError(err));
      }
    }
    return { step_results: results, step_errors: errors };
  }

  handle(req: StreamRequest): Record<string, unknown> {
    switch (req.type) {
      case "execute":
        return { type: "execute", result: this.execute(req.stmt) };
      case "batch":
        return { type: "batch", result: this.batch(req.batch) };
      case "sequence":
        this.conn.exec(this.sqlOf(req));
        return { type: "sequence" };
      case "describe": {
        const sql = this.sqlOf(req);
        const p = this.conn.prepare(sql);
        const cols = p.reader ? (p.columns() as Array<{ name: string; type: string | null }>).map((c) => ({ name: c.name, decltype: c.type ?? null })) : [];
        const params = [...sql.matchAll(/[?:@$][A-Za-z0-9_]*/g)].map((m) => ({ name: m[0] === "?" ? null : m[0] }));
        return { type: "describe", result: { params, cols, is_explain: /^\s*explain\b/i.test(sql), is_readonly: p.reader && /^\s*(select|with)\b/i.test(sql) } };
      }
      case "store_sql":
        this.sqls.set(req.sql_id, req.sql);
        return { type: "store_sql" };
      case "close_sql":
        this.sqls.delete(req.sql_id);
        return { type: "close_sql" };
      case "get_autocommit":
        return { type: "get_autocommit", is_autocommit: !this.conn.inTransaction };
      case "close":
        return { type: "close" };
      default:
        throw new ProtoError(`unknown request type ${(req as { type: string }).type}`);
    }
  }
}

export interface LibsqlServerOptions {
  /** Path to the libsql/SQLite file (created if missing). */
  dbPath: string;
  port?: number;
  host?: string;
  /** When set, requests must send `Authorization: Bearer <token>`. */
  token?: string;
  /** Streams idle this long are closed (and rolled back). */
  streamIdleMs?: number;
}

export interface LibsqlServer {
  url: string;
  close(): Promise<void>;
}

export async function startLibsqlServer(opts: LibsqlServerOptions): Promise<LibsqlServer> {
  const dbPath = resolve(opts.dbPath);
  const pool: Conn[] = [];
  const streams = new Map<string, Stream>();
  const idleMs = opts.streamIdleMs ?? 10_000;

  const openConn = (): Conn => {
    const conn = pool.pop() ?? new Database(dbPath, { timeout: 5 } as never);
    return conn;
  };
  const release = (s: Stream) => {
    if (!s.conn.inTransaction && pool.length < 4) pool.push(s.conn);
    else s.conn.close(); // closing rolls back an open transaction
  };
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [baton, s] of streams) {
      if (now - s.lastUsed > idleMs) {
        streams.delete(baton);
        release(s);
      }
    }
  }, 1000);
  sweep.unref();

  const takeStream = (baton: unknown): Stream => {
    if (baton === undefined || baton === null) return new Stream(openConn());
    const s = typeof baton === "string" ? streams.get(baton) : undefined;
    if (!s) throw new ProtoError("stream expired or baton invalid", "STREAM_EXPIRED");
    streams.delete(baton as string);
    s.lastUsed = Date.now();
    return s;
  };
  const keepStream = (s: Stream): string => {
    const baton = randomBytes(18).toString("base64url");
    streams.set(baton, s);
    return baton;
  };

  const pipeline = (body: { baton?: string | null; requests?: StreamRequest[] }) => {
    const stream = takeStream(body.baton);
    const results: unknown[] = [];
    let closed = false;
    for (const req of body.requests ?? []) {
      if (closed) {
        results.push({ type: "error", error: { message: "stream is closed", code: "STREAM_CLOSED" } });
        continue;
      }
      try {
        results.push({ type: "ok", response: stream.handle(req) });
        if (req.type === "close") closed = true;
      } catch (err) {
        if (err instanceof ProtoError && err.code === "PROTOCOL_ERROR") throw err;
        results.push({ type: "error", error: err instanceof ProtoError ? { message: err.message, code: err.code } : sqliteError(err) });
      }
    }
    if (closed) {
      release(stream);
      return { baton: null, base_url: null, results };
    }
    return { baton: keepStream(stream), base_url: null, results };
  };

  const cursor = (body: { baton?: string | null; batch: ProtoBatch }): string[] => {
    const stream = takeStream(body.baton);
    const lines: string[] = [JSON.stringify({ baton: keepStream(stream), base_url: null })];
    const { step_results, step_errors } = stream.batch(body.batch);
    step_results.forEach((r, step) => {
      const e = step_errors[step];
      if (e) lines.push(JSON.stringify({ type: "step_error", step, error: e }));
      else if (r) {
        lines.push(JSON.stringify({ type: "step_begin", step, cols: r.cols }));
        for (const row of r.rows) lines.push(JSON.stringify({ type: "row", row }));
        lines.push(JSON.stringify({ type: "step_end", affected_row_count: r.affected_row_count, last_insert_rowid: r.last_insert_rowid }));
      }
    });
    return lines;
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, { "Content-Type": typeof body === "string" ? "text/plain" : "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  };

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const path = new URL(req.url ?? "/", "http://x").pathname.replace(/\/+$/, "") || "/";
      if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) return send(res, 401, { message: "Unauthorized", code: "UNAUTHORIZED" });
      if (req.method === "GET") {
        if (path === "/" || path === "/health") return send(res, 200, "ok");
        if (path === "/v2" || path === "/v3") return send(res, 200, "");
        return send(res, 404, "not found");
      }
      if (req.method !== "POST") return send(res, 405, "method not allowed");
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(res, 400, "request body is not JSON");
      }
      if (path === "/v2/pipeline" || path === "/v3/pipeline") return send(res, 200, pipeline(body as never));
      if (path === "/v3/cursor") {
        const lines = cursor(body as never);
        res.writeHead(200, { "Content-Type": "application/json" });
        return res.end(lines.join("\n") + "\n");
      }
      return send(res, 404, "not found");
    } catch (err) {
      if (err instanceof ProtoError) return send(res, 400, { message: err.message, code: err.code });
      return send(res, 500, { message: String((err as Error).message ?? err), code: "INTERNAL" });
    }
  };

  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((done) => server.listen(opts.port ?? 8080, opts.host ?? "127.0.0.1", done));
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((done) => {
        clearInterval(sweep);
        server.closeAllConnections();
        server.close(() => {
          for (const s of streams.values()) s.conn.close();
          for (const c of pool) c.close();
          streams.clear();
          pool.length = 0;
          done();
        });
      }),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dbPath = flag("--db") ?? `${process.env.ARTSNOB_DATA_DIR ?? "data"}/artsnob.db`;
  const server = await startLibsqlServer({
    dbPath,
    port: Number(flag("--port") ?? 8080),
    host: flag("--host") ?? "127.0.0.1",
    token: flag("--token"),
  });
  console.log(JSON.stringify({ level: "info", msg: "listening", url: server.url, db: resolve(dbPath), note: "local stand-in for Turso (Hrana over HTTP)" }));
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await main();
}
