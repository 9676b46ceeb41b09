// A browser-like test client: keeps the session cookie, sends JSON and the CSRF token; `fetcher` may be
// the app in-process (`edge.fetch`) or real HTTP (`(req) => fetch(req)`).
/** A browser-like client: keeps the session cookie, sends JSON; `fetch` may be in-process or HTTP. */
export class Client {
  cookie = "";
  csrf = "";
  constructor(
    private readonly fetcher: (req: Request) => Promise<Response>,
    readonly base = "http://localhost",
  ) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== "GET" && !("x-csrf-token" in h)) h["x-csrf-token"] = this.csrf;
    if (body !== undefined && !h["content-type"]) h["content-type"] = "application/json";
    const res = await this.fetcher(
      new Request(this.base + path, { method, headers: h, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body), redirect: "manual" }),
    );
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0]!;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON (redirects, metrics, docs) */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
  get = (p: string, h?: Record<string, string>) => this.call("GET", p, undefined, h);
  post = (p: string, b?: unknown, h?: Record<string, string>) => this.call("POST", p, b ?? {}, h);
  patch = (p: string, b?: unknown, h?: Record<string, string>) => this.call("PATCH", p, b ?? {}, h);
  put = (p: string, b?: unknown, h?: Record<string, string>) => this.call("PUT", p, b ?? {}, h);
  del = (p: string, h?: Record<string, string>) => this.call("DELETE", p, undefined, h);
}
