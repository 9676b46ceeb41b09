// `--shop FILE` or `--shop FILE=URL` (batch/cli.ts, like batch/crawl/run.ts): which shop config to
// crawl and, optionally, where to fetch that shop from (a fixture shop on 127.0.0.1:PORT). The
// URL is split at the first "=" so query strings in it survive.

/** A shop config file with the base URL to fetch it from instead of the config's own. */
export interface ShopTarget {
  file: string;
  url: string;
}

export function parseShopSpec(spec: string): string | ShopTarget {
  const eq = spec.indexOf("=");
  const file = (eq < 0 ? spec : spec.slice(0, eq)).trim();
  if (!file) throw new Error(`--shop needs a config file (FILE or FILE=URL), got ${JSON.stringify(spec)}`);
  if (eq < 0) return file;
  const url = spec.slice(eq + 1).trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--shop ${file}=URL needs an absolute http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`--shop ${file}=URL needs an http(s) URL, got ${JSON.stringify(url)}`);
  return { file, url };
}

/** A shop target as opposed to a parsed ShopConfig (which always has an `id`). */
export function isShopTarget(s: unknown): s is ShopTarget {
  return typeof s === "object" && s !== null && !("id" in s) && typeof (s as ShopTarget).file === "string" && typeof (s as ShopTarget).url === "string";
}
