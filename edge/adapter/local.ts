// What the Node and Deno adapters share (both have node:fs): open the DB (applying migrations for the
// embedded file), the bucket, the WASM module from disk, site/dist statics and the site SSR bundle.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SiteHandler } from "../../common/api.ts";
import { openBucket } from "../../common/bucket/open.ts";
import type { Bucket } from "../../common/bucket/types.ts";
import { openDatabase } from "../../common/db/client.ts";
import { applyMigrations, ensureFileDir } from "../../common/db/migrate.ts";
import type { Logger } from "../../common/log.ts";
import { compileVectorWasm } from "../../wasm/src/load-node.ts";
import type { AppDeps, AppOptions, Runtime } from "../deps.ts";
import { loadOrCreateSessionSecret } from "./session-secret.ts";
import { staticFiles } from "./static-files.ts";

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
export const SITE_DIST = root("site/dist");
export const SITE_SSR = root("site/server/entry.fetch.js");

export interface LocalDepsOptions {
  /** Data root; DB at <dataDir>/artsnob.db and bucket at <dataDir>/bucket unless given. */
  dataDir?: string;
  databaseUrl?: string;
  databaseAuthToken?: string;
  /** A Bucket, or a spec for common/bucket/open.ts: directory, gs://bucket[/prefix], http(s) URL. */
  bucket?: Bucket | string;
  /** Apply migrations on start (default: only for `file:` URLs, the embedded default). */
  migrate?: boolean;
  /** Serve site/dist and the SSR bundle when present (default true). */
  site?: boolean;
  options?: AppOptions;
  /** SESSION_SECRET; default: a random secret persisted in <dataDir>/session-secret. */
  sessionSecret?: string;
}

let modulePromise: Promise<WebAssembly.Module> | null = null;
/** wasm/build/vector.wasm, compiled once per process (a failed compile is retried on next use). */
export function diskVectorModule(): () => Promise<WebAssembly.Module> {
  return () => {
    modulePromise ??= compileVectorWasm();
    modulePromise.catch(() => (modulePromise = null));
    return modulePromise;
  };
}

export async function loadSiteHandler(path = SITE_SSR): Promise<SiteHandler | undefined> {
  if (!existsSync(path)) return undefined;
  const mod = (await import(pathToFileURL(path).href)) as { default?: SiteHandler };
  return typeof mod.default === "function" ? mod.default : undefined;
}

/** The classic descriptor for reverse image search (needs sharp; without it uploads answer 501). */
async function uploadEmbedder(logger: Logger): Promise<AppDeps["imageEmbedder"]> {
  try {
    return (await import("../../batch/features/descriptor.ts")).classicEmbedder;
  } catch (err) {
    logger.warn("image descriptor unavailable; reverse image search disabled", { error: String(err) });
    return undefined;
  }
}

/**
 * CLIP text side for hybrid search: in-process when CLIP_MODEL_DIR is set (docs/models.md), else the
 * text-encoder service at TEXT_ENCODER_URL; neither = lexical search only.
 */
async function textEmbedder(logger: Logger): Promise<AppDeps["textEmbedder"]> {
  const env = process.env;
  try {
    if (env.CLIP_MODEL_DIR) {
      const { createClipTextEmbedder } = await import("../../batch/features/clip/index.ts");
      return await createClipTextEmbedder({ modelDir: env.CLIP_MODEL_DIR, modelId: env.CLIP_MODEL_ID });
    }
    if (env.TEXT_ENCODER_URL) {
      const { createRemoteTextEmbedder } = await import("../text-encoder/client.ts");
      return createRemoteTextEmbedder(env.TEXT_ENCODER_URL, env.TEXT_ENCODER_TOKEN);
    }
  } catch (err) {
    logger.error("text embedder unavailable; lexical search only", { error: String(err) });
  }
  return undefined;
}

export async function localDeps(runtime: Runtime, logger: Logger, opts: LocalDepsOptions = {}): Promise<{ deps: AppDeps; close(): void }> {
  const dataDir = (opts.dataDir ?? "data").replace(/\/+$/, "");
  const dbUrl = opts.databaseUrl ?? `file:${dataDir}/artsnob.db`;
  ensureFileDir(dbUrl);
  const handle = openDatabase(dbUrl, opts.databaseAuthToken);
  try {
    if (opts.migrate ?? dbUrl.startsWith("file:")) await applyMigrations(handle.db);
  } catch (err) {
    handle.close();
    throw err;
  }
  const withSite = opts.site ?? true;
  const site = withSite ? await loadSiteHandler() : undefined;
  if (withSite && !site) logger.info("site SSR bundle not built; serving the API only", { path: SITE_SSR });
  const deps: AppDeps = {
    db: handle.db,
    bucket: typeof opts.bucket === "object" ? opts.bucket : openBucket(opts.bucket ?? `${dataDir}/bucket`),
    vectorModule: diskVectorModule(),
    runtime,
    logger,
    site,
    assets: withSite && existsSync(SITE_DIST) ? staticFiles(SITE_DIST) : undefined,
    options: opts.options,
    sessionSecret: loadOrCreateSessionSecret(dataDir, opts.sessionSecret),
    imageEmbedder: await uploadEmbedder(logger),
    textEmbedder: await textEmbedder(logger),
  };
  return { deps, close: () => handle.close() };
}
