// Text-encoder service: CLIP text → vector for runtimes that cannot run the model (Cloudflare Workers),
// and CLIP image → vector for reverse image search there. A web-standard Hono app over any TextEmbedder
// (and optional image embedder); main.ts serves it on Node or Deno with a local model.
//   POST /encode  {"texts": ["a red painting"]}  →  {"model": "clip:…", "dim": 512, "vectors": [[…]]}
//   POST /embed-image  <JPEG/PNG/WebP/GIF bytes, ≤ 5 MiB>  →  {"model": "clip:…", "dim": 512, "vector": […]}
//   GET  /health  →  {"status": "ok", "model", "dim", "cache": {size, hits, misses}}
// Optional bearer token (TEXT_ENCODER_TOKEN); size caps on body, texts per request and characters per text;
// an LRU cache of recent query vectors (keyed on CLIP's own normalisation) with in-flight de-duplication.
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { TextEmbedder } from "../../batch/features/embedder.ts";
import type { ApiError } from "../../common/domain.ts";
import { createLogger, type Logger } from "../../common/log.ts";
import { imageKind, MAX_UPLOAD_BYTES, type UploadEmbedder } from "../services/similar-upload.ts";
import { readCapped } from "../middleware/read-capped.ts";
import { LruCache } from "./lru.ts";

export interface TextEncoderAppOptions {
  embedder: TextEmbedder;
  /** Serves POST /embed-image when set (the same model's image side, so uploads match the index). */
  imageEmbedder?: UploadEmbedder;
  /** When set, POST /encode requires `Authorization: Bearer <token>`. */
  token?: string;
  /** Cached query vectors (default 2000; 0 disables). */
  cacheSize?: number;
  /** Texts per request (default 32). */
  maxTexts?: number;
  /** Characters per text (default 1000; CLIP reads at most 77 tokens anyway). */
  maxChars?: number;
  /** Request body bytes (default 64 KiB). */
  maxBodyBytes?: number;
  logger?: Logger;
}

export interface EmbedImageResponse {
  model: string;
  dim: number;
  vector: number[];
}

export interface EncodeResponse {
  model: string;
  dim: number;
  vectors: number[][];
}

/** CLIP's tokenizer normalises NFC, collapses whitespace and lower-cases: texts equal after that share a vector. */
export function cacheKey(text: string): string {
  return text.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();
}

/** Float32 precision is all the vector has; 7 decimals keep JSON small without changing any cosine measurably. */
function rounded(v: Float32Array): number[] {
  return Array.from(v, (x) => Math.round(x * 1e7) / 1e7);
}

function fail(c: Context, status: 400 | 401 | 404 | 413 | 415 | 422 | 500, code: string, message: string, details?: unknown) {
  const body: ApiError = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return c.json(body, status);
}

/** Same time whatever the first differing character (the token is a secret). */
function sameSecret(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

export function createTextEncoderApp(opts: TextEncoderAppOptions): Hono {
  const { embedder } = opts;
  const maxTexts = opts.maxTexts ?? 32;
  const maxChars = opts.maxChars ?? 1000;
  const maxBodyBytes = opts.maxBodyBytes ?? 64 * 1024;
  const log = opts.logger ?? createLogger({ service: "text-encoder" });
  const cache = new LruCache<string, Float32Array>(opts.cacheSize ?? 2000);
  const inflight = new Map<string, Promise<Float32Array>>();
  const Body = z.object({ texts: z.array(z.string().max(maxChars)).min(1).max(maxTexts) }).strict();

  /** Vectors for distinct keys: cache, then requests already running, then one embedder call for the rest. */
  async function vectorsFor(keys: string[], texts: Map<string, string>): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    const waiting: [string, Promise<Float32Array>][] = [];
    const missing: string[] = [];
    for (const k of keys) {
      const hit = cache.get(k);
      if (hit) found.set(k, hit);
      else if (inflight.has(k)) waiting.push([k, inflight.get(k)!]);
      else missing.push(k);
    }
    if (missing.length > 0) {
      const run = embedder.embedTexts(missing.map((k) => texts.get(k)!));
      missing.forEach((k, i) => {
        const p = run.then((vs) => vs[i]!);
        p.catch(() => {}); // the error reaches the caller through `run` below
        inflight.set(k, p);
      });
      try {
        const vs = await run;
        if (vs.length !== missing.length) throw new Error(`embedder returned ${vs.length} vectors for ${missing.length} texts`);
        missing.forEach((k, i) => {
          cache.set(k, vs[i]!);
          found.set(k, vs[i]!);
        });
      } finally {
        for (const k of missing) inflight.delete(k);
      }
    }
    for (const [k, p] of waiting) found.set(k, await p);
    return found;
  }

  const app = new Hono();
  app.onError((err, c) => {
    log.error("encode failed", { err, path: c.req.path });
    return fail(c, 500, "encode_failed", "the text encoder failed");
  });
  app.notFound((c) => fail(c as Context, 404, "not_found", `no route ${c.req.method} ${c.req.path}`));

  app.get("/health", (c) =>
    c.json({ status: "ok", model: embedder.id, dim: embedder.dim, cache: { size: cache.size, hits: cache.hits, misses: cache.misses } }),
  );

  const authorized = async (c: Context, next: () => Promise<void>) => {
    if (opts.token) {
      const auth = c.req.header("authorization") ?? "";
      const match = /^Bearer\s+(.+)$/i.exec(auth);
      if (!match || !sameSecret(match[1]!.trim(), opts.token)) {
        c.header("WWW-Authenticate", 'Bearer realm="text-encoder"');
        return fail(c, 401, "unauthorized", "a valid bearer token is required");
      }
    }
    await next();
  };

  app.post("/embed-image", authorized, async (c) => {
    const images = opts.imageEmbedder;
    if (!images) return fail(c, 404, "no_image_embedder", "this service embeds texts only");
    let bytes: Uint8Array;
    try {
      bytes = await readCapped(c.req.raw, MAX_UPLOAD_BYTES);
    } catch {
      return fail(c, 413, "body_too_large", `images must be at most ${MAX_UPLOAD_BYTES} bytes`);
    }
    if (!imageKind(bytes)) return fail(c, 415, "unsupported_image", "send the bytes of a JPEG, PNG, WebP or GIF image");
    let vector: Float32Array | undefined;
    try {
      [vector] = await images.embedImages([bytes]);
    } catch {
      return fail(c, 422, "undecodable_image", "the image could not be decoded");
    }
    if (!vector) return fail(c, 422, "undecodable_image", "the image could not be embedded");
    const body: EmbedImageResponse = { model: images.id, dim: vector.length, vector: rounded(vector) };
    return c.json(body);
  });

  app.post(
    "/encode",
    authorized,
    bodyLimit({ maxSize: maxBodyBytes, onError: (c) => fail(c, 413, "body_too_large", `request body over ${maxBodyBytes} bytes`) }),
    async (c) => {
      if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json")) {
        return fail(c, 415, "unsupported_media_type", "send application/json");
      }
      let json: unknown;
      try {
        json = await c.req.json();
      } catch {
        return fail(c, 400, "invalid_json", "the body is not valid JSON");
      }
      const parsed = Body.safeParse(json);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        return fail(c, 400, "invalid_body", `expected {"texts": [1..${maxTexts} strings of at most ${maxChars} characters]}`, issues);
      }
      const keys = parsed.data.texts.map(cacheKey);
      const original = new Map<string, string>();
      keys.forEach((k, i) => original.has(k) || original.set(k, parsed.data.texts[i]!));
      const hitsBefore = cache.hits;
      const vectors = await vectorsFor([...original.keys()], original);
      c.header("X-Cache-Hits", String(cache.hits - hitsBefore));
      const body: EncodeResponse = { model: embedder.id, dim: embedder.dim, vectors: keys.map((k) => rounded(vectors.get(k)!)) };
      return c.json(body);
    },
  );
  return app;
}
