// In-process checks of the whole app (no HTTP): hostile input on every route never yields a 5xx,
// errors are JSON, and the site fallback order (assets → site → 404).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { LocalBucket } from "../common/bucket/local.ts";
import { openDatabase, type DbHandle } from "../common/db/client.ts";
import { createLogger } from "../common/log.ts";
import { compileVectorWasm } from "../wasm/src/load-node.ts";
import { ensureWasmBuilt } from "../wasm/src/build-for-tests.ts";
import { seedFixture, type Seeded } from "../test/fixtures/seed.ts";
import { createApp, type AppDeps, type EdgeApp } from "./app.ts";

let seeded: Seeded;
let handle: DbHandle;
let deps: AppDeps;
let edge: EdgeApp;

before(async () => {
  ensureWasmBuilt();
  seeded = await seedFixture({ count: 12 });
  handle = openDatabase(seeded.dbUrl);
  deps = {
    db: handle.db,
    bucket: new LocalBucket(seeded.bucketDir),
    vectorModule: () => compileVectorWasm(),
    runtime: "node",
    logger: createLogger({}, "error"),
    options: { requestLog: false },
  };
  edge = createApp(deps);
});

after(() => {
  handle?.close();
  seeded?.cleanup();
});

const HOSTILE = [
  "", "0", "-1", "1.5", "1e9", "NaN", "Infinity", "null", "undefined", "[]", "{}", "%00", "%FF%FE", "%E0%A4%A",
  "' OR 1=1 --", '"', "\\", "../../etc/passwd", "%2e%2e%2f", "<script>alert(1)</script>", "😀".repeat(50),
  "9".repeat(400), "a".repeat(5000), "fox*", 'NEAR("a" "b")', "title:fox", "1,2,,3", "1,-2", ",", "1" + ",1".repeat(300),
];

test("hostile parameters on every route: 0 responses with status 5xx, errors are JSON", async () => {
  const routes = [
    (v: string) => `/api/art/${v}`,
    (v: string) => `/api/art/${v}/similar`,
    (v: string) => `/api/art/1/similar?limit=${v}&cursor=${v}`,
    (v: string) => `/api/similar?ids=${v}`,
    (v: string) => `/api/similar?ids=1,2&not=${v}&limit=${v}`,
    (v: string) => `/api/feed?cursor=${v}`,
    (v: string) => `/api/feed?limit=${v}`,
    (v: string) => `/api/search?q=${v}`,
    (v: string) => `/api/search?q=fox&cursor=${v}&limit=${v}`,
    (v: string) => `/go/${v}`,
    (v: string) => `/go/1?size=${v}`,
    (v: string) => `/img/${v}`,
    (v: string) => `/api/${v}`,
  ];
  let checked = 0;
  for (const route of routes) {
    for (const v of HOSTILE) {
      const path = route(v);
      const res = await edge.app.request(path);
      if (res.status >= 500) assert.fail(`${path.slice(0, 100)} → ${res.status} ${(await res.text()).slice(0, 200)}`);
      if (res.status >= 400) {
        const body = (await res.json()) as { error?: { code?: string } };
        assert.equal(typeof body.error?.code, "string", path.slice(0, 100));
      } else await res.arrayBuffer();
      checked++;
    }
  }
  assert.equal(checked, routes.length * HOSTILE.length);
});

test("non-GET methods on API routes are 404 JSON, not crashes", async () => {
  for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
    const res = await edge.app.request("/api/feed", { method, body: "{bad json" });
    assert.ok(res.status >= 400 && res.status < 500, `${method} → ${res.status}`);
    assert.match(res.headers.get("content-type") ?? "", /json/);
  }
});

test("site fallback: assets first, then the site handler (with in-process api), else 404 JSON", async () => {
  const calls: string[] = [];
  const app = createApp({
    ...deps,
    assets: async (req) => (new URL(req.url).pathname === "/robots.txt" ? new Response("User-agent: *") : null),
    site: async (req, platform) => {
      const path = new URL(req.url).pathname;
      calls.push(path);
      if (path === "/missing") return null;
      const feed = (await (await platform.api("/api/feed?limit=2")).json()) as { items: unknown[] };
      return new Response(`<p>${platform.runtime} ${feed.items.length}</p>`, { headers: { "Content-Type": "text/html" } });
    },
  });
  assert.equal(await (await app.app.request("/robots.txt")).text(), "User-agent: *");
  assert.equal(await (await app.app.request("/")).text(), "<p>node 2</p>");
  const missing = await app.app.request("/missing");
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { error: { code: string } }).error.code, "not_found");
  const api = await app.app.request("/api/art/abc");
  assert.equal(api.status, 400, "API paths never reach the site");
  assert.deepEqual(calls, ["/", "/missing"]);
});

test("public API reads allow any origin without credentials", async () => {
  const res = await edge.app.request("/api/feed?limit=1", { headers: { Origin: "https://elsewhere.example" } });
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  assert.equal(res.headers.get("access-control-allow-credentials"), null);
  const pre = await edge.app.request("/api/feed", { method: "OPTIONS", headers: { Origin: "https://elsewhere.example", "Access-Control-Request-Method": "GET" } });
  assert.equal(pre.status, 204);
});
