// TextEmbedder over the text-encoder service (server.ts), for Workers and anywhere without a local model.
// Web-standard only (fetch, AbortController). `id` and `dim` are the server's, known after the first
// successful call or `await ready()`; until then id is "" and dim 0. No retries: a search that cannot encode
// its query should fall back to lexical results quickly rather than wait.
import { z } from "zod";
import type { TextEmbedder } from "../../batch/features/embedder.ts";
import { EmbedderUnavailable, type UploadEmbedder } from "../services/similar-upload.ts";

export interface RemoteTextEmbedderOptions {
  /** Per request (default 3000 ms). */
  timeoutMs?: number;
  /** Texts per request; must not exceed the server's cap (default 32, the server's default). */
  maxTextsPerRequest?: number;
  fetch?: typeof fetch;
}

export interface RemoteTextEmbedder extends TextEmbedder {
  /** Asks the server for its model id and dim (GET /health). */
  ready(): Promise<{ id: string; dim: number }>;
}

export class TextEncoderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "TextEncoderError";
  }
}

const Info = z.object({ model: z.string().min(1), dim: z.number().int().positive() });
const Encoded = Info.extend({ vectors: z.array(z.array(z.number())) });

/** URL check plus one JSON call with the bearer token and a timeout; errors are TextEncoderErrors. */
function connection(url: string, token: string | undefined, timeoutMs: number, doFetch: typeof fetch) {
  let base: string;
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("not http(s)");
    base = u.href.replace(/\/+$/, "");
  } catch {
    throw new TextEncoderError(`TEXT_ENCODER_URL must be an http(s) URL, got "${url}"`);
  }
  return async function call(path: string, init: RequestInit): Promise<unknown> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const headers = new Headers(init.headers);
    if (token) headers.set("authorization", `Bearer ${token}`);
    try {
      const res = await doFetch(`${base}${path}`, { ...init, headers, signal: controller.signal });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new TextEncoderError(`text encoder answered ${res.status} with a non-JSON body`, res.status);
      }
      if (!res.ok) {
        const message = (body as { error?: { message?: string } })?.error?.message ?? res.statusText;
        throw new TextEncoderError(`text encoder answered ${res.status}: ${message}`, res.status);
      }
      return body;
    } catch (err) {
      if (err instanceof TextEncoderError) throw err;
      if (controller.signal.aborted) throw new TextEncoderError(`text encoder timed out after ${timeoutMs} ms`);
      throw new TextEncoderError(`text encoder unreachable at ${base}: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  };
}

const defaultFetch = (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init);

export function createRemoteTextEmbedder(url: string, token?: string, opts: RemoteTextEmbedderOptions = {}): RemoteTextEmbedder {
  const call = connection(url, token, opts.timeoutMs ?? 3000, opts.fetch ?? defaultFetch);
  const perRequest = opts.maxTextsPerRequest ?? 32;
  let id = "";
  let dim = 0;

  function learn(model: string, d: number): void {
    if (id && (id !== model || dim !== d)) {
      throw new TextEncoderError(`text encoder changed model from ${id}/${dim} to ${model}/${d}`);
    }
    id = model;
    dim = d;
  }

  async function encode(texts: string[]): Promise<Float32Array[]> {
    const body = await call("/encode", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ texts }),
    });
    const parsed = Encoded.safeParse(body);
    if (!parsed.success) throw new TextEncoderError("text encoder answered with an unexpected body");
    const { model, dim: d, vectors } = parsed.data;
    if (vectors.length !== texts.length || vectors.some((v) => v.length !== d)) {
      throw new TextEncoderError(`text encoder returned ${vectors.length} vectors for ${texts.length} texts (dim ${d})`);
    }
    learn(model, d);
    return vectors.map((v) => Float32Array.from(v));
  }

  return {
    get id() {
      return id;
    },
    get dim() {
      return dim;
    },
    async ready() {
      const parsed = Info.safeParse(await call("/health", { method: "GET" }));
      if (!parsed.success) throw new TextEncoderError("text encoder /health answered with an unexpected body");
      learn(parsed.data.model, parsed.data.dim);
      return { id, dim };
    },
    async embedTexts(texts: string[]): Promise<Float32Array[]> {
      if (!Array.isArray(texts) || texts.some((t) => typeof t !== "string")) throw new TypeError("embedTexts expects an array of strings");
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += perRequest) out.push(...(await encode(texts.slice(i, i + perRequest))));
      return out;
    },
  };
}

/** Like createRemoteTextEmbedder, but asks the server first, so `id` and `dim` are set on return (callers
 *  that compare ids before encoding — edge/services/search.ts does — need that). Rejects if unreachable. */
export async function connectRemoteTextEmbedder(url: string, token?: string, opts: RemoteTextEmbedderOptions = {}): Promise<RemoteTextEmbedder> {
  const embedder = createRemoteTextEmbedder(url, token, opts);
  await embedder.ready();
  return embedder;
}

const EmbeddedImage = Info.extend({ vector: z.array(z.number()) });

/**
 * Reverse image search on Workers: the upload goes to the service's POST /embed-image (the same CLIP model
 * as the index, its vision side). `id` is "" until the first answer; the upload service checks it against
 * the index's embedder after embedding then. Uploads are slower than text: 15 s timeout by default.
 */
export function createRemoteImageEmbedder(url: string, token?: string, opts: Pick<RemoteTextEmbedderOptions, "timeoutMs" | "fetch"> = {}): UploadEmbedder {
  const call = connection(url, token, opts.timeoutMs ?? 15_000, opts.fetch ?? defaultFetch);
  let id = "";
  return {
    get id() {
      return id;
    },
    async embedImages(images: Uint8Array[]): Promise<Float32Array[]> {
      const out: Float32Array[] = [];
      for (const bytes of images) {
        let answer: unknown;
        try {
          answer = await call("/embed-image", { method: "POST", headers: { "content-type": "application/octet-stream" }, body: bytes as Uint8Array<ArrayBuffer> });
        } catch (err) {
          // The service refusing the image itself is the caller's 4xx; anything else means it is not usable.
          const status = (err as TextEncoderError).status ?? 0;
          if (status === 415 || status === 422 || status === 413) throw err;
          throw new EmbedderUnavailable((err as Error).message);
        }
        const body = EmbeddedImage.safeParse(answer);
        if (!body.success || body.data.vector.length !== body.data.dim) throw new EmbedderUnavailable("text encoder answered /embed-image with an unexpected body");
        id = body.data.model;
        out.push(Float32Array.from(body.data.vector));
      }
      return out;
    },
  };
}
