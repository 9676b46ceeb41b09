// Data access for route loaders. The site reads data only through `platform.api` (common/api.ts),
// which the edge dispatches in-process; no fetch to any origin from here.
import type { RequestEventBase, RequestEventCommon } from "@builder.io/qwik-city";
import type { ApiError, SitePlatform } from "../../../common/api.ts";

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; code: string; message: string };

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

/** GET an API path and parse its JSON; API errors become a value the page can show, not a throw. */
export async function apiGet<T>(ev: RequestEventBase, path: string): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await platformOf(ev).api(path, { headers: { accept: "application/json" } });
  } catch (e) {
    if (e instanceof Error && e.message.startsWith("site: platform.api")) throw e;
    return { ok: false, status: 502, code: "unavailable", message: "The art catalogue is not reachable right now." };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Non-JSON body: handled below by status.
  }
  if (res.ok && body !== null) return { ok: true, data: body as T };
  if (isApiError(body)) return { ok: false, status: res.status, code: body.error.code, message: body.error.message };
  return { ok: false, status: res.ok ? 502 : res.status, code: "bad_response", message: "The art catalogue gave an unexpected answer." };
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
