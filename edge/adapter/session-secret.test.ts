import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadOrCreateSessionSecret } from "./session-secret.ts";

test("SESSION_SECRET wins; otherwise one random secret is created in the data dir (0600) and reused", () => {
  const dir = mkdtempSync(join(tmpdir(), "artsnob-secret-"));
  try {
    assert.equal(loadOrCreateSessionSecret(dir, "from-env-0123456789"), "from-env-0123456789");
    const a = loadOrCreateSessionSecret(join(dir, "data"));
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(statSync(join(dir, "data", "session-secret")).mode & 0o777, 0o600);
    assert.equal(loadOrCreateSessionSecret(join(dir, "data")), a, "reused after a restart");
    assert.notEqual(loadOrCreateSessionSecret(join(dir, "other")), a, "never a fixed default");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
