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

/**
 * Site pages (HTML from the SSR site): no framing, no plugins, no foreign <base> or form targets.
 * Scripts are not restricted here because Qwik inlines its loader; the site may send a stricter CSP itself.
 */
export const SITE_CSP = "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
export const siteCsp = (): MiddlewareHandler => async (c, next) => {
  await next();
  if (c.req.path.startsWith("/api/") || c.res.headers.has("Content-Security-Policy")) return;
  if (/text\/html/.test(c.res.headers.get("Content-Type") ?? "")) c.res.headers.set("Content-Security-Policy", SITE_CSP);
};
