import assert from "node:assert/strict";
import { test } from "node:test";
import { Hono } from "hono";
import type { Logger } from "../../common/log.ts";
import { requestLog } from "./request-log.ts";

test("one JSON-able line per request with id, method, path (no query), status, ms; id echoed", async () => {
  const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
  const rec = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields: fields ?? {} });
  const logger = { debug: rec("debug"), info: rec("info"), warn: rec("warn"), error: rec("error"), child: () => logger } as Logger;
  const app = new Hono();
  app.use("*", requestLog(logger));
  app.get("/ok", (c) => c.text("ok"));
  app.get("/boom", (c) => c.text("no", 503));
  const res = await app.request("/ok?q=secret", { headers: { "x-request-id": "abcdef12345" } });
  assert.equal(res.headers.get("x-request-id"), "abcdef12345");
  const bad = await app.request("/ok", { headers: { "x-request-id": "<script>" } });
  assert.match(bad.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  await app.request("/boom");
  const { ms, ...rest } = lines[0]!.fields;
  assert.equal(typeof ms, "number");
  assert.deepEqual([lines[0]!.level, lines[0]!.msg, rest], ["info", "request", { rid: "abcdef12345", method: "GET", path: "/ok", status: 200, user: "anonymous" }]);
  assert.equal(JSON.stringify(lines).includes("secret"), false);
  assert.equal(lines[2]!.level, "error");
});
