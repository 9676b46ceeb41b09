// The site's SSR entry for the edge: a web-standard SiteHandler (common/api.ts) built on Qwik City's
// runtime-agnostic request handler, wrapped the way Qwik's own cloudflare-pages/deno middlewares do it,
// minus everything runtime-specific (no `caches`, no env bindings, no file system). The edge serves
// site/dist itself and calls this for the other GETs; `platform.api` is how loaders read data.
import { _deserializeData, _serializeData, _verifySerializable } from "@builder.io/qwik";
import { setServerPlatform } from "@builder.io/qwik/server";
import {
  _TextEncoderStream_polyfill,
  mergeHeadersCookies,
  requestHandler,
  type ServerRequestEvent,
} from "@builder.io/qwik-city/middleware/request-handler";
import { manifest } from "@qwik-client-manifest";
import qwikCityPlan from "@qwik-city-plan";
import type { SiteHandler, SitePlatform } from "../../common/api.ts";
import render from "./entry.ssr.tsx";
import { isSitePath } from "./lib/site-paths.ts";

if (typeof globalThis.TextEncoderStream === "undefined") {
  (globalThis as { TextEncoderStream: unknown }).TextEncoderStream = _TextEncoderStream_polyfill;
}

const qwikSerializer = { _deserializeData, _serializeData, _verifySerializable };
// The manifest reaches the renderer through entry.ssr.tsx; here it only maps symbols to bundles.
const opts = { render, qwikCityPlan };
setServerPlatform(manifest);

const noEnv = { get: (_key: string): string | undefined => undefined };

const handleSiteRequest: SiteHandler = async (request: Request, platform: SitePlatform) => {
  const url = new URL(request.url);
  if (!isSitePath(request.method, url.pathname)) return null;
  try {
    const serverRequestEv: ServerRequestEvent<Response> = {
      mode: "server",
      locale: undefined,
      url,
      request,
      env: noEnv,
      platform,
      getWritableStream: (status, headers, cookies, resolve) => {
        const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
        resolve(new Response(readable, { status, headers: mergeHeadersCookies(headers, cookies) }));
        return writable;
      },
      getClientConn: () => ({}),
    };
    const handled = await requestHandler(serverRequestEv, opts, qwikSerializer);
    if (!handled) return null;
    handled.completion.then((err) => {
      if (err) console.error(JSON.stringify({ level: "error", msg: "site render failed", path: url.pathname, err: String(err) }));
    });
    return (await handled.response) ?? null;
  } catch (e) {
    console.error(JSON.stringify({ level: "error", msg: "site handler failed", path: url.pathname, err: String(e) }));
    return new Response("The page could not be rendered.", {
      status: 500,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
};

export default handleSiteRequest;
