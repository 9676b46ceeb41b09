// Turns every failure into a JSON ApiError: HttpError keeps its status; anything else is a logged 500.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiError } from "../../common/api.ts";
import { BucketKeyError } from "../../common/bucket/types.ts";
import type { Logger } from "../../common/log.ts";
import { HttpError } from "../errors.ts";

export function errorBody(code: string, message: string, details?: unknown): ApiError {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function errorHandler(logger: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof HttpError) {
      return c.json(errorBody(err.code, err.message, err.details), err.status);
    }
    if (err instanceof BucketKeyError) return c.json(errorBody("bad_path", "invalid path"), 400);
    if (err instanceof HTTPException) {
      // Hono raises these for malformed requests (e.g. bad JSON bodies); keep their 4xx status.
      const status = err.status as ContentfulStatusCode;
      return c.json(errorBody(status >= 500 ? "internal" : "bad_request", err.message || "bad request"), status);
    }
    logger.error("unhandled error", { err, method: c.req.method, path: c.req.path });
    return c.json(errorBody("internal", "internal server error"), 500);
  };
}

export function notFoundHandler(c: Context) {
  return c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404);
}
