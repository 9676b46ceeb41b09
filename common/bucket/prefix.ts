// List prefixes are partial keys ("artifacts/v/1" matches "artifacts/v/10/..."), so they are
// checked like keys, except that "" (everything) and one trailing "/" are allowed.
import { assertSafeKey, BucketKeyError } from "./types.ts";

export function assertSafePrefix(prefix: string): string {
  if (prefix === "") return prefix;
  if (prefix.endsWith("//")) throw new BucketKeyError(`invalid bucket prefix: ${JSON.stringify(prefix.slice(0, 100))}`);
  try {
    assertSafeKey(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
  } catch {
    throw new BucketKeyError(`invalid bucket prefix: ${JSON.stringify(prefix.slice(0, 100))}`);
  }
  return prefix;
}
