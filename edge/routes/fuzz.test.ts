// Fuzz: every route in the generated OpenAPI document (read and write side) gets random and hostile path
// parameters, query strings and bodies — with and without a valid CSRF token, with odd content types.
// Requirement: 0 responses with status 5xx, and every /api error is the JSON ApiError shape.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, startHarness, type Harness } from "../test/harness.ts";

let h: Harness;
before(async () => (h = await startHarness()));
after(() => h?.close());

const HOSTILE = [
  "", "0", "-1", "1.5", "1e309", "NaN", "null", "true", "[]", "{}", "%00", "%FF%FE", "%E0%A4%A", "' OR 1=1 --", '"', "\\",
  "../../etc/passwd", "%2e%2e%2f", "<script>alert(1)</script>", "😀".repeat(40), "9".repeat(40), "a".repeat(3000),
  "https://evil.example/", "//evil.example", "__proto__", "constructor", "AAAAAAAAAAAAAAAAAAAAAA",
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * 12);
  switch (pick) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return Math.floor(r() * 2 ** 31) * (r() < 0.3 ? -1 : 1);
    case 3: return [1e308, -0, 0.1, Number.MAX_SAFE_INTEGER + 2, 2 ** 53][Math.floor(r() * 5)];
    case 4: case 5: return HOSTILE[Math.floor(r() * HOSTILE.length)];
    case 6: return depth < 3 ? Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1)) : [];
    case 7: return ["like", "dislike", "skip", "view", "search", "undo", "click", "black", "Small", "oak"][Math.floor(r() * 10)];
    default: return depth < 3 ? randomObject(r, depth + 1) : {};
  }
}
const KEYS = ["kind", "artworkId", "query", "actionId", "name", "widthCm", "heightCm", "size", "frameColor", "xCm", "yCm", "email", "password", "artworkIds", "surface", "__proto__", "constructor"];
function randomObject(r: () => number, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  // defineProperty: a "__proto__" key becomes an own JSON key, not the object's prototype.
  for (let i = Math.floor(r() * 5); i > 0; i--) Object.defineProperty(o, KEYS[Math.floor(r() * KEYS.length)]!, { value: randomValue(r, depth), enumerable: true, writable: true, configurable: true });
  return o;
}

test("random and hostile input on every documented route: 0 responses with status 5xx", async () => {
  const c = new Client(h.edge.fetch);
  const doc = (await c.get("/api/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
  const session = (await c.get("/api/session")).body;
  const wall = (await c.post("/api/walls", { name: "fuzz" }, { "x-csrf-token": session.csrfToken })).body;
  const r = rng(20261126);
  const failures: string[] = [];
  let sent = 0;
  const statuses = new Map<number, number>();
  const routes = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => [m.toUpperCase(), path] as const));
  assert.ok(routes.length >= 20, `${routes.length} routes`);
  for (const [method, path] of routes) {
    if (path === "/api/account/signup" || path === "/api/account/signin") continue; // fuzzed below (argon2 is slow by design)
    for (let i = 0; i < 14; i++) {
      const v = () => {
        const x = randomValue(r);
        return encodeURIComponent(typeof x === "object" && x !== null ? JSON.stringify(x) : String(x));
      };
      // Sometimes a real wall id, so item/share routes reach their deeper validation.
      const url = path.replace(/\{([^}]+)\}/g, (_m, name) => (name === "wallId" && r() < 0.4 ? wall.id : v())) + (r() < 0.7 ? `?${KEYS[Math.floor(r() * KEYS.length)]}=${v()}&limit=${v()}&cursor=${v()}&q=${v()}` : "");
      // A fresh client address per request keeps the rate limiter from answering 429 in place of validation.
      const headers: Record<string, string> = { "cf-connecting-ip": `10.0.${sent >> 8}.${sent & 255}` };
      if (r() < 0.7) headers["x-csrf-token"] = session.csrfToken;
      let body: string | undefined;
      if (method !== "GET") {
        const kind = r();
        body = kind < 0.6 ? JSON.stringify(randomObject(r)) : kind < 0.8 ? JSON.stringify(randomValue(r)) : kind < 0.9 ? "{\"a\":" : "\u0000\u00ff garbage";
        headers["content-type"] = ["application/json", "application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"][Math.floor(r() * 5)]!;
      }
      const res = await c.call(method, url, body, headers);
      sent++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`${method} ${url.slice(0, 120)} → ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      else if (res.status >= 400 && url.startsWith("/api/") && typeof res.body?.error?.code !== "string") failures.push(`${method} ${url.slice(0, 120)} → ${res.status} non-JSON error`);
    }
  }
  // Sign-up / sign-in: hostile bodies (none of them valid credentials, so no hashing).
  for (const path of ["/api/account/signup", "/api/account/signin"]) {
    for (const b of [...HOSTILE.map((x) => ({ email: x, password: x.slice(0, 3) })), "[", "null", { email: ["a@b.co"] }, { email: "a@b.co", password: 12345678 }]) {
      const res = await c.call("POST", path, typeof b === "string" ? b : JSON.stringify(b), { "x-csrf-token": session.csrfToken, "content-type": "application/json" });
      sent++;
      if (res.status >= 500 || res.status < 400) failures.push(`POST ${path} ${JSON.stringify(b).slice(0, 60)} → ${res.status}`);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${sent} requests failed`);
  assert.ok((statuses.get(429) ?? 0) < sent / 20, `mostly real answers, not rate limits: ${JSON.stringify([...statuses])}`);
});
