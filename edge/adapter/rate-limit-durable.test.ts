// The Durable Object rate limiter in Node, through a namespace that behaves like workerd's: one object
// per name, created on first use (the real binding is exercised on workerd in test/runtimes/workerd.test.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Logger } from "../../common/log.ts";

type LogFields = Record<string, unknown>;
import { DurableObjectRateLimitStore, type DurableObjectNamespaceLike, RateLimiterObject } from "./rate-limit-durable.ts";

function namespace(): DurableObjectNamespaceLike & { objects: Map<string, RateLimiterObject> } {
  const objects = new Map<string, RateLimiterObject>();
  return {
    objects,
    idFromName: (name) => `id:${name}`,
    get: (id) => {
      const key = String(id);
      if (!objects.has(key)) objects.set(key, new RateLimiterObject());
      // Like a stub: the request crosses a boundary, so the body is re-serialised.
      return { fetch: async (req) => objects.get(key)!.fetch(new Request(req.url, { method: req.method, body: await req.text() })) };
    },
  };
}

function recordingLogger(): Logger & { warnings: LogFields[] } {
  const warnings: LogFields[] = [];
  const l = { warnings, debug() {}, info() {}, error() {}, warn: (_m: string, f?: LogFields) => void warnings.push(f ?? {}), child: () => l } as unknown as Logger & { warnings: LogFields[] };
  return l;
}

test("isolates sharing the namespace share the bucket: the limit is global", async () => {
  const ns = namespace();
  const isolateA = new DurableObjectRateLimitStore(ns, recordingLogger());
  const isolateB = new DurableObjectRateLimitStore(ns, recordingLogger());
  const results = [];
  for (let i = 0; i < 6; i++) results.push(await (i % 2 ? isolateA : isolateB).take("signin|ip:1", 5, 1 / 60, Date.now()));
  assert.deepEqual(results.map((r) => r.ok), [true, true, true, true, true, false]);
  assert.ok(results[5]!.retryAfterS > 0);
  assert.equal(ns.objects.size, 1, "one object per bucket key");
  assert.equal(isolateA.kind, "durable-object");
  assert.ok((await isolateA.take("signin|ip:2", 5, 1 / 60, Date.now())).ok, "another key has its own bucket");
});

test("the object refuses malformed requests", async () => {
  const o = new RateLimiterObject();
  assert.equal((await o.fetch(new Request("https://x/take", { method: "POST", body: "not json" }))).status, 400);
  assert.equal((await o.fetch(new Request("https://x/take", { method: "POST", body: JSON.stringify({ key: "", capacity: 1, refillPerSec: 1 }) }))).status, 400);
  assert.equal((await o.fetch(new Request("https://x/take", { method: "POST", body: JSON.stringify({ key: "k", capacity: -1, refillPerSec: 1 }) }))).status, 400);
});

test("an unreachable object falls back to per-isolate buckets and warns once a minute", async () => {
  const broken: DurableObjectNamespaceLike = { idFromName: (n) => n, get: () => ({ fetch: () => Promise.reject(new Error("network lost")) }) };
  const logger = recordingLogger();
  const store = new DurableObjectRateLimitStore(broken, logger);
  const now = Date.now();
  const results = [];
  for (let i = 0; i < 3; i++) results.push((await store.take("write|ip:1", 2, 1 / 60, now + i)).ok);
  assert.deepEqual(results, [true, true, false], "still limited, by the isolate's own buckets");
  assert.equal(logger.warnings.length, 1);
  assert.equal(store.kind, "memory (durable-object unreachable)", "health says so");
  assert.match(String(logger.warnings[0]!.error), /network lost/);
});
