// In-process app over a seeded temp DB, plus a tiny cookie-keeping client, for the write-side tests.
import { LocalBucket } from "../../common/bucket/local.ts";
import { openDatabase, type DbHandle } from "../../common/db/client.ts";
import { createLogger } from "../../common/log.ts";
import { compileVectorWasm } from "../../wasm/src/load-node.ts";
import { ensureWasmBuilt } from "../../wasm/src/build-for-tests.ts";
import { seedFixture, type Seeded } from "../../test/fixtures/seed.ts";
import { createApp, type EdgeApp } from "../app.ts";
import type { AppOptions } from "../deps.ts";

export interface Harness {
  seeded: Seeded;
  edge: EdgeApp;
  handle: DbHandle;
  close(): void;
}

export async function startHarness(options: AppOptions = {}, count = 12): Promise<Harness> {
  ensureWasmBuilt();
  const seeded = await seedFixture({ count });
  const handle = openDatabase(seeded.dbUrl);
  const edge = createApp({
    db: handle.db,
    bucket: new LocalBucket(seeded.bucketDir),
    vectorModule: () => compileVectorWasm(),
    runtime: "node",
    logger: createLogger({}, "error"),
    options: { requestLog: false, ...options },
    sessionSecret: "test-secret-0123456789abcdef",
  });
  return { seeded, edge, handle, close: () => (handle.close(), seeded.cleanup()) };
}

/** A browser-like client: keeps the session cookie, sends JSON; `fetch` may be in-process or HTTP. */
export class Client {
  cookie = "";
  csrf = "";
  constructor(
    private readonly fetcher: (req: Request) => Promise<Response>,
    readonly base = "http://localhost",
  ) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== "GET" && !("x-csrf-token" in h)) h["x-csrf-token"] = this.csrf;
    if (body !== undefined && !h["content-type"]) h["content-type"] = "application/json";
    const res = await this.fetcher(
      new Request(this.base + path, { method, headers: h, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body), redirect: "manual" }),
    );
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0]!;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON (redirects, metrics, docs) */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
  get = (p: string, h?: Record<string, string>) => this.call("GET", p, undefined, h);
  post = (p: string, b?: unknown, h?: Record<string, string>) => this.call("POST", p, b ?? {}, h);
  patch = (p: string, b?: unknown, h?: Record<string, string>) => this.call("PATCH", p, b ?? {}, h);
  put = (p: string, b?: unknown, h?: Record<string, string>) => this.call("PUT", p, b ?? {}, h);
  del = (p: string, h?: Record<string, string>) => this.call("DELETE", p, undefined, h);
}
