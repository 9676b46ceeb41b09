// Everything the edge app needs from its runtime, injected by one adapter per target.
import type { SiteHandler } from "../common/api.ts";
import type { Bucket } from "../common/bucket/types.ts";
import type { Db } from "../common/db/client.ts";
import type { Logger } from "../common/log.ts";
import type { RateLimitStore } from "./middleware/rate-limit.ts";
import type { TextEmbedder } from "../batch/features/embedder.ts";
import type { UploadEmbedder } from "./services/similar-upload.ts";

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
  /** CLIP text side for hybrid search (in-process on Node/Deno, or edge/text-encoder's remote client). */
  textEmbedder?: TextEmbedder;
  /** Embeds uploads for reverse image search with the index's embedder (absent on Workers by default → 501). */
  imageEmbedder?: UploadEmbedder;
}

export interface AppOptions {
  /** How long a read of artifacts/CURRENT.json is trusted before the bucket is asked again. */
  artifactPointerTtlMs?: number;
  /** Log one line per request (default true). */
  requestLog?: boolean;
  /** Token-bucket store for rate limits (default: in memory, per isolate); see docs/api.md. */
  rateLimitStore?: RateLimitStore;
  /** How long the in-memory catalogue snapshot is trusted before the DB fingerprint is re-checked (5000). */
  catalogTtlMs?: number;
}
