// Security headers on every response; API responses also get a CSP that forbids everything,
// because JSON is never rendered as a document.
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

export const securityHeaders = (): MiddlewareHandler =>
  secureHeaders({
    strictTransportSecurity: "max-age=31536000; includeSubDomains",
    xFrameOptions: "DENY",
    referrerPolicy: "strict-origin-when-cross-origin",
    crossOriginResourcePolicy: "same-origin",
    crossOriginOpenerPolicy: "same-origin",
  });

export const apiCsp = (): MiddlewareHandler => async (c, next) => {
  await next();
  c.res.headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
};
