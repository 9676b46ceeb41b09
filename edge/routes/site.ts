// Every non-API GET: static assets first, then the server-rendered site.
import type { Context } from "hono";
import type { SitePlatform } from "../../common/api.ts";
import type { AppDeps } from "../deps.ts";
import { errorBody } from "../middleware/error-handler.ts";

export function siteFallback(deps: AppDeps, api: SitePlatform["api"]) {
  return async (c: Context) => {
    if (deps.assets) {
      const asset = await deps.assets(c.req.raw);
      if (asset) return asset;
    }
    if (deps.site) {
      const page = await deps.site(c.req.raw, { api, runtime: deps.runtime });
      if (page) return page;
    }
    return c.json(errorBody("not_found", `nothing at ${c.req.path}`), 404);
  };
}
