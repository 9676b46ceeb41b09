// Copies a bucket (default: the local directory bucket) into wrangler's local R2, so `wrangler dev`
// and the workerd tests see the same artifacts and images as the Node server.
//   npx tsx scripts/dev/seed-r2.ts [--from data/bucket] [--persist-to .wrangler/state] [--prefix artifacts/]
// Uses wrangler's getPlatformProxy with the R2 binding from wrangler.toml and the same persistence
// layout as `wrangler dev --persist-to <dir>` (<dir>/v3/r2).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { getPlatformProxy } from "wrangler";
import { LocalBucket } from "../../common/bucket/local.ts";
import type { Bucket } from "../../common/bucket/types.ts";
import { CURRENT_POINTER_KEY } from "../../common/bucket/keys.ts";

interface R2PutTarget {
  put(key: string, value: Uint8Array, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
}

export interface SeedR2Options {
  from: Bucket | string;
  /** Same meaning as `wrangler dev --persist-to` (default .wrangler/state). */
  persistTo?: string;
  prefixes?: string[];
  configPath?: string;
  binding?: string;
}

export async function seedLocalR2(opts: SeedR2Options): Promise<number> {
  const from = typeof opts.from === "string" ? new LocalBucket(opts.from) : opts.from;
  const persistTo = resolve(opts.persistTo ?? ".wrangler/state");
  const proxy = await getPlatformProxy<Record<string, unknown>>({
    configPath: opts.configPath ?? "wrangler.toml",
    persist: { path: `${persistTo}/v3` },
  });
  try {
    const r2 = proxy.env[opts.binding ?? "BUCKET"] as R2PutTarget | undefined;
    if (!r2) throw new Error(`no R2 binding ${opts.binding ?? "BUCKET"} in wrangler.toml`);
    let copied = 0;
    let pointer: Uint8Array | null = null;
    for (const prefix of opts.prefixes ?? ["images/", "artifacts/"]) {
      for await (const info of from.list(prefix)) {
        const body = await from.get(info.key);
        if (!body) continue;
        // The pointer goes last, like a real publish: no reader may see it before its files.
        if (info.key === CURRENT_POINTER_KEY) {
          pointer = body;
          continue;
        }
        await r2.put(info.key, body, info.contentType ? { httpMetadata: { contentType: info.contentType } } : undefined);
        copied++;
      }
    }
    if (pointer) {
      await r2.put(CURRENT_POINTER_KEY, pointer, { httpMetadata: { contentType: "application/json" } });
      copied++;
    }
    return copied;
  } finally {
    await proxy.dispose();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const prefix = flag("--prefix");
  const n = await seedLocalR2({
    from: flag("--from") ?? process.env.BUCKET ?? `${process.env.ARTSNOB_DATA_DIR ?? "data"}/bucket`,
    persistTo: flag("--persist-to"),
    ...(prefix ? { prefixes: [prefix] } : {}),
  });
  console.log(JSON.stringify({ level: "info", msg: "local R2 seeded", objects: n }));
}
