// HttpBucket against a tiny node:http origin that serves a LocalBucket directory (GET/HEAD, one
// Range, ETag, Cache-Control), the way a public bucket or CDN would.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { test } from "node:test";
import { bucketContract } from "./contract.ts";
import { HttpBucket } from "./http.ts";
import { LocalBucket } from "./local.ts";
import type { Bucket } from "./types.ts";

async function serve(bucket: Bucket, opts: { ignoreRange?: boolean } = {}): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    try {
      const key = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname.slice("/files/".length));
      const info = await bucket.head(key).catch(() => null);
      if (!info || (req.method !== "GET" && req.method !== "HEAD")) return res.writeHead(404).end();
      const headers: Record<string, string> = {
        "Content-Type": info.contentType ?? "application/octet-stream",
        ETag: info.etag,
        "Cache-Control": "public, max-age=60",
        "Accept-Ranges": "bytes",
      };
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
      if (m && !opts.ignoreRange) {
        const start = Number(m[1]);
        if (start >= info.size) return res.writeHead(416, { "Content-Range": `bytes */${info.size}` }).end();
        const bytes = (await bucket.get(key, { offset: start, length: Number(m[2]) - start + 1 }))!;
        res.writeHead(206, { ...headers, "Content-Length": String(bytes.length), "Content-Range": `bytes ${start}-${start + bytes.length - 1}/${info.size}` });
        return res.end(req.method === "HEAD" ? undefined : bytes);
      }
      res.writeHead(200, { ...headers, "Content-Length": String(info.size) });
      if (req.method === "HEAD") return res.end();
      const obj = (await bucket.getStream(key))!;
      Readable.fromWeb(obj.body as import("node:stream/web").ReadableStream).pipe(res);
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/`, server };
}

async function origin(opts: { ignoreRange?: boolean } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "artsnob-http-bucket-"));
  const writer = new LocalBucket(dir);
  const { url, server } = await serve(writer, opts);
  return {
    bucket: new HttpBucket(url),
    writer,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // fetch keeps connections alive; do not wait for their timeout
      await closed;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

bucketContract("HttpBucket", () => origin(), { readOnly: true, canList: false, keepsHttpMetadata: false });
bucketContract("HttpBucket (origin ignores Range)", () => origin({ ignoreRange: true }), { readOnly: true, canList: false, keepsHttpMetadata: false });

test("HttpBucket: keys are percent-encoded per segment and Cache-Control is reported", async () => {
  const o = await origin();
  try {
    await o.writer.put("odd/a b#c?d%.txt", "odd");
    assert.equal(new TextDecoder().decode((await o.bucket.get("odd/a b#c?d%.txt"))!), "odd");
    assert.equal((await o.bucket.head("odd/a b#c?d%.txt"))?.cacheControl, "public, max-age=60");
  } finally {
    await o.close();
  }
});

test("HttpBucket: bad base URLs and server errors give clear errors", async () => {
  assert.throws(() => new HttpBucket("not a url"), /absolute http\(s\) URL/);
  assert.throws(() => new HttpBucket("file:///etc/"), /needs http\(s\)/);
  const failing = createServer((_req, res) => res.writeHead(503).end());
  await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
  try {
    const bucket = new HttpBucket(`http://127.0.0.1:${(failing.address() as AddressInfo).port}`);
    await assert.rejects(bucket.get("a.txt"), /HTTP 503/);
    await assert.rejects(bucket.head("a.txt"), /HTTP 503/);
  } finally {
    await new Promise<void>((resolve) => failing.close(() => resolve()));
  }
});
