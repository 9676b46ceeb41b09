// Static files from a directory (site/dist) for the Node and Deno adapters. Workers get theirs
// from the assets binding in wrangler.toml instead.
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
};

/** Returns a handler that answers GET/HEAD for existing files under `root`, or null. */
export function staticFiles(root: string): (req: Request) => Promise<Response | null> {
  const base = resolve(root);
  return async (req) => {
    if (req.method !== "GET" && req.method !== "HEAD") return null;
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url).pathname);
    } catch {
      return null;
    }
    if (path.includes("\0")) return null;
    const file = resolve(join(base, path));
    if (!file.startsWith(base + sep)) return null;
    const s = await stat(file).catch(() => null);
    if (!s?.isFile()) return null;
    // Vite/Qwik put content-hashed bundles under /build and /assets: cache those forever.
    const hashed = /^\/(build|assets)\//.test(path);
    const headers = new Headers({
      "Content-Type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
      "Content-Length": String(s.size),
      "Cache-Control": hashed ? "public, max-age=31536000, immutable" : "public, max-age=300",
    });
    return new Response(req.method === "HEAD" ? null : await readFile(file), { headers });
  };
}
