// The edge app: one Hono app built from injected dependencies, identical on Node, Deno and workerd.
// Runtime specifics live only in edge/adapter/.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppDeps } from "./deps.ts";
import { errorHandler, notFoundHandler } from "./middleware/error-handler.ts";
import { etag } from "./middleware/etag.ts";
import { publicCors } from "./middleware/public-cors.ts";
import { requestLog } from "./middleware/request-log.ts";
import { apiCsp, securityHeaders, siteCsp } from "./middleware/security-headers.ts";
import { apiRoutes } from "./routes/api.ts";
import { readRoutes } from "./routes/art-reads.ts";
import { goRoutes } from "./routes/go.ts";
import { imgRoutes } from "./routes/img.ts";
import { siteFallback } from "./routes/site.ts";
import { createServices, type Services } from "./services/index.ts";
import { mountSessionLayer, mountWriteApi } from "./openapi-routes.ts";

export type { AppDeps, AppOptions, Runtime } from "./deps.ts";

export interface EdgeApp {
  fetch: (request: Request) => Promise<Response>;
  app: OpenAPIHono;
  services: Services;
}

export function createApp(deps: AppDeps): EdgeApp {
  const services = createServices(deps);
  // OpenAPIHono: routes declared with createRoute land in /api/openapi.json (edge/openapi-routes.ts).
  const app = new OpenAPIHono();
  app.onError(errorHandler(deps.logger));
  app.notFound(notFoundHandler);
  if (deps.options?.requestLog !== false) app.use("*", requestLog(deps.logger));
  app.use("*", securityHeaders());
  app.use("/api/*", apiCsp());
  app.use("*", siteCsp());
  // Public reads for third parties; no credentials (cookie-authenticated writes get their own policy).
  app.use("/api/*", publicCors({ allowMethods: ["GET", "HEAD", "OPTIONS"], maxAge: 86400 }));
  // Revalidation for clients and CDNs: a repeated read with If-None-Match costs a 304, not a body.
  app.use("/api/*", etag());
  const layer = mountSessionLayer(app, services, deps); // metrics + session cookie
  mountWriteApi(app, services, deps, layer); // CSRF, rate limits, accounts, actions, walls, share, docs

  app.route("/api", readRoutes(services.reads));
  app.route("/api", apiRoutes(services));
  app.route("/go", goRoutes(services));
  app.route("/img", imgRoutes(services));
  app.all("/api/*", notFoundHandler);

  if (deps.site || deps.assets) {
    // In-process API for the SSR site: no network hop, same code on every runtime.
    const api = (path: string, init?: RequestInit) => Promise.resolve(app.request(path, init));
    // GET pages, and POST for the site's form actions (Qwik routeAction$; Qwik checks the Origin).
    app.on(["GET", "POST"], "*", siteFallback(deps, api));
  }

  return { fetch: (request) => Promise.resolve(app.fetch(request)), app, services };
}
