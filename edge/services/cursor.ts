// Opaque page cursors: base64url of a small JSON object tagged with the list it belongs to.
// Clients must treat them as opaque; the server validates every field, so a forged or garbled
// cursor is a 400, never a crash. Unsigned: a valid forged cursor only moves within public data.
import { z } from "zod";
import { badRequest } from "../errors.ts";

const MAX_CURSOR_CHARS = 512;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(s: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
}

// One combined schema per (kind, schema): zod compiles a schema on first use, so not per request.
const tagged = new WeakMap<z.ZodObject, Map<string, z.ZodType>>();
function taggedSchema(kind: string, schema: z.ZodObject): z.ZodType {
  let byKind = tagged.get(schema);
  if (!byKind) tagged.set(schema, (byKind = new Map()));
  let combined = byKind.get(kind);
  if (!combined) byKind.set(kind, (combined = z.object({ k: z.literal(kind) }).and(schema)));
  return combined;
}

export function encodeCursor(kind: string, state: Record<string, unknown>): string {
  return toBase64Url(JSON.stringify({ k: kind, ...state }));
}

/** Decodes a cursor made by `encodeCursor(kind, …)`; throws 400 `invalid_cursor` otherwise. */
export function decodeCursor<S extends z.ZodObject>(kind: string, schema: S, raw: string): z.infer<S> {
  const fail = () => badRequest("invalid_cursor", "cursor is not valid for this list; start again without one");
  if (raw.length === 0 || raw.length > MAX_CURSOR_CHARS) throw fail();
  const text = fromBase64Url(raw);
  if (text === null) throw fail();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail();
  }
  const r = taggedSchema(kind, schema).safeParse(json);
  if (!r.success) throw fail();
  return r.data as z.infer<S>;
}
