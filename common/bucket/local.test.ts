import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bucketContract } from "./contract.ts";
import { LocalBucket } from "./local.ts";

bucketContract(
  "LocalBucket",
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "artsnob-local-bucket-"));
    return { bucket: new LocalBucket(dir), close: () => rm(dir, { recursive: true, force: true }) };
  },
  // A directory keeps no HTTP metadata (type comes from the extension), and ifAbsent is check-then-rename.
  { keepsHttpMetadata: false, atomicIfAbsent: false },
);
