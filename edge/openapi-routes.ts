// Mounts the session/account/write side on the app: session cookie, CSRF, rate limits, metrics, and the
// OpenAPI-declared routes (account, actions, history, walls, share) plus /api/openapi.json and /api/docs.
// Called by edge/app.ts before the read routes so its middleware wraps them too.
//
// Registering more routes in the OpenAPI document: build them with `openApiRouter()` + `createRoute`
// (edge/openapi.ts) and mount them with `app.route("/api", router)`; they are picked up from the app's
// OpenAPI registry. Plain Hono routes are still listed (method + path) from `app.routes`.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Hono, MiddlewareHandler } from "hono";
import type { AppDeps } from "./deps.ts";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "./middleware/csrf.ts";
import { errorBody } from "./middleware/error-handler.ts";
import { Metrics, metricsMiddleware } from "./middleware/metrics.ts";
import { clientKey, MemoryRateLimitStore, rateLimit, type RateLimitStore } from "./middleware/rate-limit.ts";
import { sessionMiddleware } from "./middleware/session.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { accountRoutes } from "./routes/account.ts";
import { actionRoutes } from "./routes/actions.ts";
import { docsRoutes } from "./routes/docs.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { shareRoutes } from "./routes/share.ts";
import { wallRoutes } from "./routes/walls.ts";
import type { Services } from "./services/index.ts";
import { CookieSigner, randomId } from "./services/session-cookie.ts";

const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Middleware for every request (metrics first so it times everything, then the session). */
export function mountSessionLayer(app: OpenAPIHono, s: Services, deps: AppDeps): { signer: CookieSigner; metrics: Metrics } {
  if (!deps.sessionSecret) deps.logger.warn("no session secret configured; using a per-process random one");
  const signer = new CookieSigner(deps.sessionSecret ?? randomId(32));
  const metrics = new Metrics();
  app.use("*", metricsMiddleware(metrics));
  app.use("*", sessionMiddleware(signer, s.sessions));
  return { signer, metrics };
}

export function mountWriteApi(app: OpenAPIHono, s: Services, deps: AppDeps, layer: { signer: CookieSigner; metrics: Metrics }): void {
  const store: RateLimitStore = deps.options?.rateLimitStore ?? new MemoryRateLimitStore();
  // JSON bodies of these routes are small; refuse big ones before parsing (uploads have their own limit).
  const small = bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json(errorBody("body_too_large", "request body over 64 KiB"), 413) });
  for (const p of ["/api/account/*", "/api/actions", "/api/actions/*", "/api/exposures", "/api/walls", "/api/walls/*"]) app.use(p, small);
  app.use("/api/*", csrf(layer.signer));
  // Sign-in / sign-up: 10 per client then 1 a minute, and 5 per email then 1 a minute (password guessing).
  const perClient = rateLimit({ name: "signin", capacity: 10, refillPerSec: 1 / 60, keys: (c) => [clientKey(c)] }, store);
  const perEmail = rateLimit(
    {
      name: "signin-email",
      capacity: 5,
      refillPerSec: 1 / 60,
      keys: async (c) => {
        const body = (await c.req.json().catch(() => null)) as { email?: unknown } | null;
        return typeof body?.email === "string" ? [`email:${body.email.trim().toLowerCase().slice(0, 254)}`] : [];
      },
    },
    store,
  );
  const auth: MiddlewareHandler = (c, next) => perClient(c, () => perEmail(c, next) as Promise<void>) as Promise<void>;
  app.use("/api/account/signin", auth);
  app.use("/api/account/signup", auth);
  const writes = rateLimit({ name: "write", capacity: 120, refillPerSec: 4, keys: (c) => [clientKey(c)] }, store);
  app.use("/api/*", async (c, next) => (WRITE.has(c.req.method) ? writes(c, next) : next()));
  app.use("/api/search", rateLimit({ name: "search", capacity: 60, refillPerSec: 20, keys: (c) => [clientKey(c)] }, store));

  for (const r of [accountRoutes(s, layer.signer), actionRoutes(s), wallRoutes(s), shareRoutes(s)]) app.route("/api", r);
  app.route("/api", metricsRoutes(layer.metrics));
  let doc: Record<string, any> | null = null;
  // Built on first request, after every route (read side included) is registered.
  app.route("/api", docsRoutes(() => (doc ??= buildOpenApiDocument(app, app as unknown as Hono))));
}
