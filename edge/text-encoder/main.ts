// Runs the text-encoder service with a local CLIP model, on Node or Deno.
//   CLIP_MODEL_DIR=models/clip-vit-base-patch32 CLIP_MODEL_ID=Xenova/clip-vit-base-patch32 \
//   TEXT_ENCODER_TOKEN=secret npx tsx edge/text-encoder/main.ts          (Node)
//   deno run -A edge/text-encoder/main.ts                                 (Deno, same variables)
// Listens on TEXT_ENCODER_HOST:TEXT_ENCODER_PORT (default 127.0.0.1:8788). Workers call it with client.ts.
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { createClipImageEmbedder } from "../../batch/features/clip/image-embedder.ts";
import { createClipTextEmbedder } from "../../batch/features/clip/text-embedder.ts";
import { clipSettingsFromEnv } from "../../batch/features/clip/settings.ts";
import { createLogger, type Logger } from "../../common/log.ts";
import { createTextEncoderApp, type TextEncoderAppOptions } from "./server.ts";

export interface TextEncoderServerOptions extends Omit<TextEncoderAppOptions, "embedder" | "imageEmbedder" | "logger"> {
  modelDir: string;
  /** Also serve POST /embed-image with the model's vision side (default true; needs its ONNX file). */
  images?: boolean;
  modelId?: string;
  dtype?: "fp32" | "fp16" | "q8";
  threads?: number;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  logger?: Logger;
}

export interface RunningTextEncoder {
  url: string;
  model: string;
  dim: number;
  close(): Promise<void>;
}

/** Loads the model, then listens (Deno.serve on Deno, @hono/node-server on Node). */
export async function startTextEncoder(opts: TextEncoderServerOptions): Promise<RunningTextEncoder> {
  const logger = opts.logger ?? createLogger({ service: "text-encoder" });
  const embedder = await createClipTextEmbedder({ modelDir: opts.modelDir, modelId: opts.modelId, dtype: opts.dtype, threads: opts.threads });
  const imageEmbedder = opts.images === false ? undefined : await createClipImageEmbedder({ modelDir: opts.modelDir, modelId: opts.modelId, dtype: opts.dtype, threads: opts.threads });
  const app = createTextEncoderApp({ ...opts, embedder, imageEmbedder, logger });
  const hostname = opts.host ?? "127.0.0.1";
  const deno = (globalThis as { Deno?: DenoLike }).Deno;
  let url: string;
  let stop: () => Promise<void>;
  if (deno) {
    const server = deno.serve({ port: opts.port ?? 8788, hostname, onListen: () => {} }, app.fetch);
    url = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${server.addr.port}`;
    stop = () => server.shutdown();
  } else {
    const server = await new Promise<ReturnType<typeof serve>>((ok, reject) => {
      const s = serve({ fetch: app.fetch, port: opts.port ?? 8788, hostname }, () => ok(s));
      s.once("error", reject);
    });
    const { port, address } = server.address() as AddressInfo;
    url = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
    stop = () => new Promise<void>((ok) => server.close(() => ok()));
  }
  logger.info("text encoder listening", { url, model: embedder.id, dim: embedder.dim, images: Boolean(imageEmbedder), auth: Boolean(opts.token) });
  return {
    url,
    model: embedder.id,
    dim: embedder.dim,
    async close() {
      await stop();
      await embedder.close?.();
      await imageEmbedder?.close();
    },
  };
}

interface DenoLike {
  serve(
    o: { port: number; hostname: string; onListen: () => void },
    h: (r: Request) => Response | Promise<Response>,
  ): { addr: { port: number }; shutdown(): Promise<void> };
}

const Env = z.object({
  TEXT_ENCODER_HOST: z.string().default("127.0.0.1"),
  TEXT_ENCODER_PORT: z.coerce.number().int().min(0).max(65535).default(8788),
  TEXT_ENCODER_TOKEN: z.string().min(16, "TEXT_ENCODER_TOKEN must be at least 16 characters").optional(),
  TEXT_ENCODER_CACHE_SIZE: z.coerce.number().int().min(0).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

async function main(): Promise<void> {
  const env = process.env;
  const clip = clipSettingsFromEnv(env);
  if (!clip) throw new Error("set CLIP_MODEL_DIR to a local CLIP model directory (docs/models.md)");
  const e = Env.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  const running = await startTextEncoder({
    ...clip,
    host: e.TEXT_ENCODER_HOST,
    port: e.TEXT_ENCODER_PORT,
    token: e.TEXT_ENCODER_TOKEN,
    cacheSize: e.TEXT_ENCODER_CACHE_SIZE,
    logger: createLogger({ service: "text-encoder" }, e.LOG_LEVEL),
  });
  console.log(running.url);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: Error) => {
    console.error(JSON.stringify({ level: "error", service: "text-encoder", msg: err.message }));
    process.exit(1);
  });
}
