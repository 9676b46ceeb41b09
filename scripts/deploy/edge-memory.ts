// Measures what one edge isolate holds for an artifact set of N works (the ArtifactStore's loaded set
// plus the WASM vector index it builds), to size the Workers 128 MB isolate limit.
//   npx tsx scripts/deploy/edge-memory.ts [works=100000] [dim=512] [k=100]
// Synthetic but format-exact files (common/artifacts/format.ts) in a temp LocalBucket. Prints JSON.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARTIFACT_FILES, ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, ELEMENT, I8_SCALE, MAGIC, encodeBinary, sha256Hex, type Manifest } from "../../common/artifacts/format.ts";
import { MANIFEST_FILE } from "../../common/artifacts/read.ts";
import { CURRENT_POINTER_KEY, artifactKey } from "../../common/bucket/keys.ts";
import { LocalBucket } from "../../common/bucket/local.ts";
import { createLogger } from "../../common/log.ts";
import { ArtifactStore } from "../../edge/services/artifact-store.ts";
import { ensureWasmBuilt } from "../../wasm/src/build-for-tests.ts";

const [n = 100_000, dim = 512, k = 100] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), "edge-memory-"));
try {
  ensureWasmBuilt();
  const bucket = new LocalBucket(dir);
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let vectors: Int8Array | null = new Int8Array(n * dim).map((_, i) => ((i * 2654435761) >>> 24) - 128);
  let neighbours: Uint32Array | null = new Uint32Array(n * k).map((_, i) => (i * 7919 + 1) % n);
  const files: Record<string, Uint8Array> = {
    [ARTIFACT_FILES.ids]: encodeBinary({ magic: MAGIC.ids, element: ELEMENT.u32, rows: n, cols: 1, scale: 1 }, bytes(Uint32Array.from({ length: n }, (_, i) => i + 1))),
    [ARTIFACT_FILES.vectors]: encodeBinary({ magic: MAGIC.vectors, element: ELEMENT.i8, rows: n, cols: dim, scale: I8_SCALE }, bytes(vectors)),
    [ARTIFACT_FILES.neighbours]: encodeBinary({ magic: MAGIC.neighbours, element: ELEMENT.u32, rows: n, cols: k, scale: 1 }, bytes(neighbours)),
    [ARTIFACT_FILES.neighbourScores]: encodeBinary({ magic: MAGIC.neighbourScores, element: ELEMENT.i8, rows: n, cols: k, scale: I8_SCALE }, new Uint8Array(n * k).fill(60)),
  };
  const manifest: Manifest = { format: ARTIFACT_FORMAT, formatVersion: ARTIFACT_FORMAT_VERSION, version: "mem", createdAt: new Date().toISOString(), count: n, dim, embedder: { kind: "classic", id: "mem" }, neighboursK: k, files: {} };
  for (const [name, data] of Object.entries(files)) {
    await bucket.put(artifactKey("mem", name), data);
    manifest.files[name] = { path: name, sha256: await sha256Hex(data), bytes: data.byteLength };
  }
  const text = JSON.stringify(manifest);
  await bucket.put(artifactKey("mem", MANIFEST_FILE), text);
  await bucket.put(CURRENT_POINTER_KEY, JSON.stringify({ version: "mem", manifestSha256: await sha256Hex(text), publishedAt: new Date().toISOString() }));
  const fileBytes = Object.values(files).reduce((s, f) => s + f.byteLength, 0);
  for (const f of Object.keys(files)) delete files[f];
  vectors = neighbours = null;

  const wasm = readFileSync(new URL("../../wasm/build/vector.wasm", import.meta.url));
  const store = new ArtifactStore(bucket, () => WebAssembly.compile(wasm), createLogger({}, "error"), 60_000);
  const t0 = Date.now();
  const set = (await store.current())!;
  const loadMs = Date.now() - t0;
  const index = await set.index();
  // Counted by construction (process-level counters are too noisy with deferred ArrayBuffer frees):
  // the typed arrays' backing buffers the set keeps (the vectors only in the WASM index), the WASM index,
  // and the id → row Map (V8 ≈ 40 B/entry).
  const typed = [set.ids, set.neighbours, set.neighbourScores].reduce((sum, a) => sum + a.buffer.byteLength, 0);
  const mapBytes = set.rowOf.size * 40;
  const total = typed + index.bytes + mapBytes;
  console.log(JSON.stringify({ works: n, dim, k, fileBytes, loadMs, typedArrayBytes: typed, wasmIndexBytes: index.bytes, rowMapBytesApprox: mapBytes, totalBytes: total, bytesPerWork: Math.round(total / n), worksPer128MB: Math.floor((128 * 2 ** 20) / (total / n)) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
