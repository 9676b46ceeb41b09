// Data access for route loaders and actions. The site reads and writes only through `platform.api`
// (common/api.ts), which the edge dispatches in-process; no fetch to any origin from here.
// The visitor's Cookie header goes with every call (their anonymous session or account), and any
// Set-Cookie the API answers (a new session, sign-in, sign-out) is passed back on the page response.
import type { RequestEventBase, RequestEventCommon } from "@builder.io/qwik-city";
import type { ApiError, SitePlatform } from "../../../common/api.ts";

export type ApiFailure = { ok: false; status: number; code: string; message: string };
export type ApiResult<T> = { ok: true; data: T; status: number } | ApiFailure;

function platformOf(ev: RequestEventBase): SitePlatform {
  const platform = ev.platform as Partial<SitePlatform> | undefined;
  if (!platform || typeof platform.api !== "function") {
    throw new Error("site: platform.api is missing; the edge must pass a SitePlatform to the site handler");
  }
  return platform as SitePlatform;
}

function isApiError(body: unknown): body is ApiError {
  const err = (body as ApiError | null)?.error;
  return typeof err === "object" && err !== null && typeof err.message === "string";
}

/**
 * The edge's session cookie (edge/services/session-cookie.ts SESSION_COOKIE). The edge's own session
 * middleware issues it on the page response itself; see `ensureSession` in routes/layout.tsx.
 */
export const SESSION_COOKIE = "sid";

export function hasSessionCookie(ev: RequestEventBase): boolean {
  return new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=`).test(ev.request.headers.get("cookie") ?? "");
}

/** Header the API checks on writes that come without a same-origin Origin/Sec-Fetch-Site (edge/middleware/csrf.ts). */
export const CSRF_HEADER = "x-csrf-token";
const JAR = "artsnob.cookieJar";
const CSRF = "artsnob.csrf";

/**
 * The visitor's cookies for this request: those the browser sent, updated by every Set-Cookie the
 * API answered during this request (so a session minted by the first call is used by the next).
 */
function jarOf(ev: RequestEventBase): Map<string, string> {
  let jar = ev.sharedMap.get(JAR) as Map<string, string> | undefined;
  if (!jar) {
    jar = new Map();
    for (const part of (ev.request.headers.get("cookie") ?? "").split(";")) {
      const eq = part.indexOf("=");
      if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    ev.sharedMap.set(JAR, jar);
  }
  return jar;
}

/** Headers that make an in-process API call act for the visitor: their cookies and user agent. */
function visitorHeaders(ev: RequestEventBase, extra: Record<string, string>): Headers {
  const h = new Headers({ accept: "application/json", ...extra });
  const jar = jarOf(ev);
  if (jar.size) h.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
  const ua = ev.request.headers.get("user-agent");
  if (ua) h.set("user-agent", ua);
  return h;
}

/**
 * Keep the API's Set-Cookie for the rest of this request, and pass it back to the browser when the
 * visitor already had a session (sign-in, sign-out and deletion rotate it). A cookieless visitor's
 * session comes from the edge's middleware on the page response itself (see routes/layout.tsx);
 * a throwaway session minted by an in-process read is not announced, so the two never compete.
 */
function relayCookies(ev: RequestEventBase, res: Response): void {
  const setCookies = typeof res.headers.getSetCookie === "function" ? res.headers.getSetCookie() : [];
  if (!setCookies.length) return;
  const jar = jarOf(ev);
  const relay = hasSessionCookie(ev);
  for (const c of setCookies) {
    if (relay) (ev as RequestEventCommon).headers.append("set-cookie", c);
    const pair = c.split(";")[0] ?? "";
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    // An expired cookie (sign-out, deletion) leaves the jar.
    if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(name);
    else jar.set(name, value);
  }
  ev.sharedMap.delete(CSRF);
  if (relay) markPrivate(ev as RequestEventCommon);
}

/** Personal pages (feeds from likes, walls, account) must never sit in a shared cache. */
export function markPrivate(ev: RequestEventCommon): void {
  ev.headers.set("cache-control", "private, no-store");
}

async function call<T>(ev: RequestEventBase, path: string, init: RequestInit): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await platformOf(ev).api(path, init);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith("site: platform.api")) throw e;
    return { ok: false, status: 502, code: "unavailable", message: "The art catalogue is not reachable right now." };
  }
  relayCookies(ev, res);
  let body: unknown = null;
  if (res.status !== 204) {
    try {
      body = await res.json();
    } catch {
      // Non-JSON body: handled below by status.
    }
  }
  if (res.ok) return { ok: true, data: (body ?? {}) as T, status: res.status };
  if (isApiError(body)) return { ok: false, status: res.status, code: body.error.code, message: body.error.message };
  return { ok: false, status: res.ok ? 502 : res.status, code: "bad_response", message: "The art catalogue gave an unexpected answer." };
}

/** GET an API path and parse its JSON; API errors become a value the page can show, not a throw. */
export function apiGet<T>(ev: RequestEventBase, path: string): Promise<ApiResult<T>> {
  return call<T>(ev, path, { headers: visitorHeaders(ev, {}) });
}

/**
 * A write (POST/PUT/PATCH/DELETE) with a JSON body, as the visitor. Qwik City has already checked
 * that the form post came from this origin; the in-process call proves it to the API with the
 * session's CSRF token (GET /api/session), fetched once per request.
 */
export async function apiSend<T>(ev: RequestEventBase, method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  let token = ev.sharedMap.get(CSRF) as string | undefined;
  if (!token) {
    const s = await call<{ csrfToken?: string }>(ev, "/api/session", { headers: visitorHeaders(ev, {}) });
    if (s.ok && typeof s.data.csrfToken === "string") {
      token = s.data.csrfToken;
      ev.sharedMap.set(CSRF, token);
    }
  }
  const extra: Record<string, string> = body === undefined ? {} : { "content-type": "application/json" };
  if (token) extra[CSRF_HEADER] = token;
  const init: RequestInit = { method, headers: visitorHeaders(ev, extra) };
  if (body !== undefined) init.body = JSON.stringify(body);
  return call<T>(ev, path, init);
}

/** The endpoint itself does not exist (yet): the API's generic 404 for unknown /api paths. */
export function isMissingEndpoint(r: ApiResult<unknown>): boolean {
  return !r.ok && r.status === 404 && r.code === "not_found" && /^no route for /.test(r.message);
}

/** Build an API path with query parameters, skipping empty ones. */
export function apiPath(path: string, params: Record<string, string | number | null | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * Set the page's status for a failed load. Upstream failures (5xx) are not cached, so the page
 * recovers as soon as the API does; client errors (404, bad cursor) keep the normal short caching.
 */
export function failWith(ev: RequestEventCommon, status: number): void {
  ev.status(status);
  if (status >= 500) ev.cacheControl("no-cache");
}
