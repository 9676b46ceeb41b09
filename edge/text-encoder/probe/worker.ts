// Test-only Worker: encodes ?q= (GET) or the posted image (POST) through the text-encoder service with the
// Worker-side clients, proving they run on workerd (edge/text-encoder/runtimes.test.ts).
import { createRemoteImageEmbedder, createRemoteTextEmbedder } from "../client.ts";

interface Env {
  TEXT_ENCODER_URL: string;
  TEXT_ENCODER_TOKEN?: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    try {
      if (request.method === "POST") {
        const images = createRemoteImageEmbedder(env.TEXT_ENCODER_URL, env.TEXT_ENCODER_TOKEN, { timeoutMs: 10_000 });
        const [vector] = await images.embedImages([new Uint8Array(await request.arrayBuffer())]);
        return Response.json({ id: images.id, dim: vector!.length, vector: Array.from(vector!) });
      }
      const q = new URL(request.url).searchParams.get("q") ?? "";
      const embedder = createRemoteTextEmbedder(env.TEXT_ENCODER_URL, env.TEXT_ENCODER_TOKEN, { timeoutMs: 5000 });
      const [vector] = await embedder.embedTexts([q]);
      return Response.json({ id: embedder.id, dim: embedder.dim, vector: Array.from(vector!) });
    } catch (err) {
      return Response.json({ error: (err as Error).message }, { status: 502 });
    }
  },
};
