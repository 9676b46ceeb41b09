// One structured log line per request: method, path, status, duration.
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../common/log.ts";

export const requestLog = (logger: Logger): MiddlewareHandler => async (c, next) => {
  const start = Date.now();
  await next();
  logger.info("request", { method: c.req.method, path: c.req.path, status: c.res.status, ms: Date.now() - start });
};
