// One structured log line per request: request id, method, path (no query: it may hold search terms),
// status, duration, and whether the caller is signed in. The id is Cloudflare's cf-ray when present, else
// an incoming x-request-id (if sane), else random; it is echoed as X-Request-Id so reports can cite it.
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../common/log.ts";

const SANE_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export const requestLog = (logger: Logger): MiddlewareHandler => async (c, next) => {
  const start = Date.now();
  const incoming = c.req.header("cf-ray") ?? c.req.header("x-request-id");
  const rid = incoming && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
  await next();
  c.res.headers.set("X-Request-Id", rid);
  const fields = { rid, method: c.req.method, path: c.req.path, status: c.res.status, ms: Date.now() - start, user: c.get("session")?.userId ? "signed-in" : "anonymous" };
  if (c.res.status >= 500) logger.error("request", fields);
  else logger.info("request", fields);
};
