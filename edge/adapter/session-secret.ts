// The embedded default's session secret: SESSION_SECRET when set, else a random secret created once and
// persisted (mode 0600) in the data dir, so cookies survive restarts without any hard-coded default.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function loadOrCreateSessionSecret(dataDir: string, fromEnv?: string): string {
  if (fromEnv) return fromEnv;
  const file = join(dataDir, "session-secret");
  if (existsSync(file)) {
    const s = readFileSync(file, "utf8").trim();
    if (s.length >= 32) return s;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex");
  // "wx": two processes starting together never overwrite each other's secret.
  try {
    writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  } catch {
    return readFileSync(file, "utf8").trim();
  }
  chmodSync(file, 0o600);
  return secret;
}
