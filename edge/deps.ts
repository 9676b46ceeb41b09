// Everything the edge app needs from its runtime, injected by one adapter per target.
import type { SiteHandler } from "../common/api.ts";
import type { Bucket } from "../common/bucket/types.ts";
import type { Db } from "../common/db/client.ts";
import type { Logger } from "../common/log.ts";

export type Runtime = "node" | "deno" | "workerd";

export interface AppDeps {
  db: Db;
  bucket: Bucket;
  /** The compiled WASM vector core (wasm/build/vector.wasm); called lazily, at most once per isolate. */
  vectorModule: () => Promise<WebAssembly.Module>;
  runtime: Runtime;
  logger: Logger;
  /** Server-rendered site for every non-API GET (after static assets). */
  site?: SiteHandler;
  /** Static files (site/dist); null when the request is not a file. */
  assets?: (req: Request) => Promise<Response | null>;
  options?: AppOptions;
  /**
   * HMAC key for session cookies (≥ 16 chars): SESSION_SECRET, or on Node/Deno a random secret persisted
   * once in the data dir. When absent, the app makes a random per-process one (cookies die on restart).
   */
  sessionSecret?: string;
}

export interface AppOptions {
  /** How long a read of artifacts/CURRENT.json is trusted before the bucket is asked again. */
  artifactPointerTtlMs?: number;
  /** Log one line per request (default true). */
  requestLog?: boolean;
}
