// In-isolate request metrics in Prometheus text format (GET /api/metrics). Per process on Node/Deno; per
// isolate on Workers (scrape through a log pipeline there, or use Workers Analytics).
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";

const BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2500];

export class Metrics {
  private requests = new Map<string, number>();
  private durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  readonly started = Date.now();

  observe(method: string, route: string, status: number, ms: number): void {
    const key = `method="${method}",route="${esc(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const dk = `method="${method}",route="${esc(route)}"`;
    const d = this.durations.get(dk) ?? { buckets: BUCKETS_MS.map(() => 0), sum: 0, count: 0 };
    BUCKETS_MS.forEach((b, i) => {
      if (ms <= b) d.buckets[i]!++;
    });
    d.sum += ms;
    d.count++;
    this.durations.set(dk, d);
  }

  render(): string {
    const out: string[] = [
      "# HELP artsnob_http_requests_total HTTP requests by route pattern and status.",
      "# TYPE artsnob_http_requests_total counter",
    ];
    for (const [k, v] of this.requests) out.push(`artsnob_http_requests_total{${k}} ${v}`);
    out.push("# HELP artsnob_http_request_duration_ms Request duration in milliseconds.", "# TYPE artsnob_http_request_duration_ms histogram");
    for (const [k, d] of this.durations) {
      BUCKETS_MS.forEach((b, i) => out.push(`artsnob_http_request_duration_ms_bucket{${k},le="${b}"} ${d.buckets[i]}`));
      out.push(`artsnob_http_request_duration_ms_bucket{${k},le="+Inf"} ${d.count}`);
      out.push(`artsnob_http_request_duration_ms_sum{${k}} ${d.sum}`, `artsnob_http_request_duration_ms_count{${k}} ${d.count}`);
    }
    out.push("# HELP artsnob_uptime_seconds Seconds since this isolate started.", "# TYPE artsnob_uptime_seconds gauge");
    out.push(`artsnob_uptime_seconds ${Math.round((Date.now() - this.started) / 1000)}`);
    return out.join("\n") + "\n";
  }
}

const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

export const metricsMiddleware = (m: Metrics): MiddlewareHandler => async (c, next) => {
  const start = performance.now();
  try {
    await next();
  } finally {
    // The route pattern, not the raw path, so ids do not explode the label set.
    // The handler's pattern (middleware is registered as ALL), not the raw path, so ids never become labels.
    // Catch-alls ("/*": site fallback, API 404) only name the route when nothing more specific matched.
    const handlers = matchedRoutes(c).filter((r) => r.method !== "ALL");
    const route = (handlers.filter((r) => !r.path.endsWith("*")).pop() ?? handlers.pop())?.path ?? "unmatched";
    m.observe(c.req.method, route, c.res.status, performance.now() - start);
  }
};
