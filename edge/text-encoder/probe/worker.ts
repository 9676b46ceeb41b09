// Test-only Worker: encodes ?q= through the text-encoder service with the Worker-side client, proving the
// client runs on workerd (edge/text-encoder/runtimes.test.ts).
import { createRemoteTextEmbedder } from "../client.ts";

interface Env {
  TEXT_ENCODER_URL: string;
  TEXT_ENCODER_TOKEN?: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const q = new URL(request.url).searchParams.get("q") ?? "";
    const embedder = createRemoteTextEmbedder(env.TEXT_ENCODER_URL, env.TEXT_ENCODER_TOKEN, { timeoutMs: 5000 });
    try {
      const [vector] = await embedder.embedTexts([q]);
      return Response.json({ id: embedder.id, dim: embedder.dim, vector: Array.from(vector!) });
    } catch (err) {
      return Response.json({ error: (err as Error).message }, { status: 502 });
    }
  },
};
