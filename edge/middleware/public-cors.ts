// CORS for the public, credential-free API reads: any origin may read, nobody may send credentials.
// Not hono/cors: that one touches `c.res` before the handler runs, which makes every JSON answer go
// through a header merge and a web stream on Node (about a third of a small read's cost).
import type { MiddlewareHandler } from "hono";

export interface PublicCorsOptions {
  allowMethods: readonly string[];
  /** Seconds a browser may cache a preflight. */
  maxAge: number;
}

export function publicCors(options: PublicCorsOptions): MiddlewareHandler {
  const methods = options.allowMethods.join(",");
  const maxAge = String(options.maxAge);
  return async (c, next) => {
    if (c.req.method === "OPTIONS") {
      const headers = new Headers({ "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": methods, "Access-Control-Max-Age": maxAge });
      const asked = c.req.header("Access-Control-Request-Headers");
      if (asked) {
        headers.set("Access-Control-Allow-Headers", asked.split(",").map((h) => h.trim()).filter(Boolean).join(","));
        headers.set("Vary", "Access-Control-Request-Headers");
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    c.res.headers.set("Access-Control-Allow-Origin", "*");
  };
}
