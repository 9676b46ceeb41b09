// A local rehearsal of the production edge: the Worker from wrangler.toml on real workerd
// (wrangler's unstable_startWorker), local R2 persisted in a directory, and the database reached over
// libsql's HTTP protocol through the Turso stand-in (scripts/dev/libsql-server.ts). `r2` is a second
// handle on the same local R2 (wrangler's getPlatformProxy), so a test or script can publish into
// the bucket the running Worker reads — the way the batch publishes into R2 in production.
// Used by test/runtimes/worker-*.test.ts.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { R2Bucket, type R2BindingLike } from "../../common/bucket/r2.ts";
import { startLibsqlServer, type LibsqlServer } from "../dev/libsql-server.ts";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));

export interface LocalEdgeOptions {
  /** libsql file the stand-in serves (the same file a Node server may open). */
  dbPath: string;
  /** wrangler persistence dir (`wrangler dev --persist-to`); local R2 lives under <dir>/v3/r2. */
  persistTo: string;
  /** Extra plain-text vars for the Worker (e.g. ARTIFACT_POINTER_TTL_MS). */
  vars?: Record<string, string>;
  /** Bearer token the stand-in requires; passed to the Worker as DATABASE_AUTH_TOKEN. */
  dbToken?: string;
}

export interface LocalEdge {
  url: string;
  libsql: LibsqlServer;
  /** The Worker's R2 bucket, written from outside the Worker. */
  r2: R2Bucket;
  /** Every line the Worker wrote to its console (structured JSON logs included). */
  logs: string[];
  close(): Promise<void>;
}

type StartedWorker = { ready: Promise<void>; url: Promise<URL>; dispose(): Promise<void> };

/** Opens the local R2 in `persistTo` through the wrangler.toml binding (for seeding and publishing). */
export async function openLocalR2(persistTo: string): Promise<{ r2: R2Bucket; dispose(): Promise<void> }> {
  const { getPlatformProxy } = await import("wrangler");
  const proxy = await getPlatformProxy<Record<string, unknown>>({ configPath: join(REPO, "wrangler.toml"), persist: { path: join(persistTo, "v3") } });
  return { r2: new R2Bucket(proxy.env.BUCKET as R2BindingLike, "BUCKET"), dispose: () => proxy.dispose() };
}

/** Captures the Worker's console: wrangler prints it on this process's stdout/stderr. */
function captureConsole(lines: string[]): () => void {
  const wrap = (stream: NodeJS.WriteStream) => {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
      // wrangler colours console.error output: keep the plain text.
      for (const line of text.replace(/\x1b\[[0-9;]*m/g, "").split("\n")) if (line.trim()) lines.push(line);
      // Keep test output readable: swallow the Worker's JSON logs, pass everything else through.
      if (/^\s*\{"time":/.test(text)) return true;
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    return () => (stream.write = original as typeof stream.write);
  };
  const undo = [wrap(process.stdout), wrap(process.stderr)];
  return () => undo.forEach((u) => u());
}

export async function startLocalEdge(opts: LocalEdgeOptions): Promise<LocalEdge> {
  process.env.WRANGLER_SEND_METRICS = "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  const libsql = await startLibsqlServer({ dbPath: opts.dbPath, port: 0, ...(opts.dbToken ? { token: opts.dbToken } : {}) });
  const local = await openLocalR2(opts.persistTo);
  const logs: string[] = [];
  const restore = captureConsole(logs);
  const vars: Record<string, { type: "plain_text"; value: string }> = { DATABASE_URL: { type: "plain_text", value: libsql.url } };
  for (const [k, v] of Object.entries({ ...opts.vars, ...(opts.dbToken ? { DATABASE_AUTH_TOKEN: opts.dbToken } : {}) })) vars[k] = { type: "plain_text", value: v };
  let worker: StartedWorker | undefined;
  try {
    const cwd = process.cwd();
    process.chdir(REPO); // wrangler's [build] command runs relative to the working directory
    try {
      const { unstable_startWorker } = await import("wrangler");
      worker = (await unstable_startWorker({
        config: join(REPO, "wrangler.toml"),
        bindings: vars,
        dev: { persist: opts.persistTo, server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, logLevel: "log" },
      } as never)) as unknown as StartedWorker;
      await worker.ready;
    } finally {
      process.chdir(cwd);
    }
    const url = (await worker.url).origin;
    return {
      url,
      libsql,
      r2: local.r2,
      logs,
      async close() {
        await worker?.dispose();
        await local.dispose();
        await libsql.close();
        restore();
      },
    };
  } catch (err) {
    await worker?.dispose().catch(() => undefined);
    await local.dispose();
    await libsql.close();
    restore();
    throw err;
  }
}
