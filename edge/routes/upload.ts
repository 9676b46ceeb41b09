// POST /api/similar/upload: reverse image search. Body: the raw image (Content-Type image/*) or a
// multipart form with field "image". Capped before it is read whole; validated by magic bytes.
import { Hono } from "hono";
import { z } from "zod";
import { HttpError } from "../errors.ts";
import { BodyTooLarge, readCapped } from "../middleware/read-capped.ts";
import { validQuery } from "../middleware/validate.ts";
import type { ReadServices } from "../services/artwork-reads.ts";
import { MAX_UPLOAD_BYTES } from "../services/similar-upload.ts";
import { PRIVATE } from "./feed-session.ts";
import { limit } from "./schemas.ts";

const tooLarge = () => new HttpError(413, "upload_too_large", `images must be at most ${MAX_UPLOAD_BYTES} bytes`);

// Built once: a zod schema compiles on first use, so building one per request is costly.
const UploadQuery = z.object({ limit: limit(24, 100) });

export function uploadRoutes(r: ReadServices): Hono {
  const api = new Hono();
  api.post("/similar/upload", async (c) => {
    const q = validQuery(c, UploadQuery);
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    const raw = await readCapped(c.req.raw, MAX_UPLOAD_BYTES + 64 * 1024).catch((e: unknown) => {
      throw e instanceof BodyTooLarge ? tooLarge() : e;
    });
    let bytes = raw;
    if (type.startsWith("multipart/form-data")) {
      let file: unknown;
      try {
        const form = await new Response(raw as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } }).formData();
        file = form.get("image");
      } catch {
        throw new HttpError(400, "bad_form", "could not parse the multipart form");
      }
      if (!(file instanceof Blob)) throw new HttpError(400, "missing_image", 'send the image as form field "image"');
      bytes = new Uint8Array(await file.arrayBuffer());
    } else if (!type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
      throw new HttpError(415, "unsupported_media_type", "send an image (Content-Type image/*) or a multipart form with field \"image\"");
    }
    c.header("Cache-Control", PRIVATE);
    return c.json(await r.upload.search(bytes, q.limit));
  });
  return api;
}
