// GET /api/metrics — Prometheus text exposition of this isolate's request counters and latencies.
import { Hono } from "hono";
import type { Metrics } from "../middleware/metrics.ts";

export function metricsRoutes(m: Metrics): Hono {
  const r = new Hono();
  r.get("/metrics", (c) => {
    c.header("Cache-Control", "no-store");
    return c.text(m.render(), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  });
  return r;
}
