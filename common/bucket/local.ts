// Bucket backed by a local directory (the embedded default). Writes go to a temp file and are
// renamed into place, so a reader never sees a half-written object. Runs on Node and Deno.
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { assertSafePrefix } from "./prefix.ts";
import { assertSafeKey, guessContentType, type Bucket, type ByteRange, type ObjectBody, type ObjectInfo, type PutOptions } from "./types.ts";

export class LocalBucket implements Bucket {
  readonly name: string;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.name = `local:${this.root}`;
  }

  private path(key: string): string {
    const p = join(this.root, assertSafeKey(key));
    if (!p.startsWith(this.root + sep)) throw new Error(`key escapes bucket: ${key}`);
    return p;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const s = await stat(this.path(key));
      if (!s.isFile()) return null;
      return { key, size: s.size, etag: `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}"`, contentType: guessContentType(key), uploaded: s.mtime };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array | null> {
    let handle;
    try {
      handle = await open(this.path(key), "r");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
    try {
      const size = (await handle.stat()).size;
      const offset = range ? Math.min(range.offset, size) : 0;
      const length = range ? Math.min(range.length, size - offset) : size;
      const out = new Uint8Array(length);
      let read = 0;
      while (read < length) {
        const { bytesRead } = await handle.read(out, read, length - read, offset + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return read === length ? out : out.subarray(0, read);
    } finally {
      await handle.close();
    }
  }

  async getStream(key: string): Promise<ObjectBody | null> {
    const info = await this.head(key);
    if (!info) return null;
    const body = Readable.toWeb(createReadStream(this.path(key))) as ReadableStream<Uint8Array>;
    return { ...info, body };
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<boolean> {
    const target = this.path(key);
    if (options.ifAbsent && (await this.head(key))) return false;
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    await writeFile(tmp, body);
    await rename(tmp, target);
    return true;
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertSafePrefix(prefix); // "../" would otherwise walk directories outside the root
    const start = prefix ? join(this.root, prefix) : this.root;
    const dir = prefix.endsWith("/") || !prefix ? start : dirname(start);
    for await (const file of walk(dir)) {
      const key = relative(this.root, file).split(sep).join("/");
      if (!key.startsWith(prefix) || key.includes(".tmp-")) continue;
      const info = await this.head(key);
      if (info) yield info;
    }
  }
}

async function* walk(dir: string): AsyncIterable<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}
