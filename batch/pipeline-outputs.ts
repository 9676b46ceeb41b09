// Stage outputs in the bucket: stages/<stage>/<inputHash>/<file>, then done.json (with each
// file's sha256) written last, then stages/<stage>/LATEST.json. A crash leaves at most a folder
// without done.json, which nothing reads and the rerun overwrites: the previous outputs and the
// published artifacts stay intact.
import { z } from "zod";
import type { Bucket } from "../common/bucket/types.ts";
import { sha256Hex } from "../common/artifacts/format.ts";

export const STAGES_PREFIX = "stages";
const DoneSchema = z.object({
  stage: z.string(),
  inputHash: z.string(),
  createdAt: z.string(),
  files: z.record(z.string(), z.object({ sha256: z.string(), bytes: z.number() })),
  meta: z.record(z.string(), z.unknown()).default({}),
});
export type StageDone = z.infer<typeof DoneSchema>;

export const stageKey = (stage: string, inputHash: string, file: string) => `${STAGES_PREFIX}/${stage}/${inputHash}/${file}`;

export async function readDone(bucket: Bucket, stage: string, inputHash: string): Promise<StageDone | null> {
  const bytes = await bucket.get(stageKey(stage, inputHash, "done.json"));
  if (!bytes) return null;
  const parsed = DoneSchema.safeParse(safeJson(bytes));
  return parsed.success && parsed.data.inputHash === inputHash ? parsed.data : null;
}

/** The last completed output of a stage, or null. */
export async function latestDone(bucket: Bucket, stage: string): Promise<StageDone | null> {
  const bytes = await bucket.get(`${STAGES_PREFIX}/${stage}/LATEST.json`);
  if (!bytes) return null;
  const p = z.object({ inputHash: z.string() }).safeParse(safeJson(bytes));
  return p.success ? readDone(bucket, stage, p.data.inputHash) : null;
}

/** Like latestDone, but throws a clear error naming the stage to run. */
export async function requireLatest(bucket: Bucket, stage: string, by: string): Promise<StageDone> {
  const d = await latestDone(bucket, stage);
  if (!d) throw new Error(`${by}: no output of stage "${stage}" yet; run it first (--from ${stage})`);
  return d;
}

export async function writeStageOutput(bucket: Bucket, stage: string, inputHash: string, files: Record<string, Uint8Array | string>, meta: Record<string, unknown> = {}, keep = 3): Promise<StageDone> {
  const entries: StageDone["files"] = {};
  for (const [name, body] of Object.entries(files)) {
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
    await bucket.put(stageKey(stage, inputHash, name), bytes, { contentType: name.endsWith(".json") ? "application/json" : "application/octet-stream" });
    entries[name] = { sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
  }
  const done: StageDone = { stage, inputHash, createdAt: new Date().toISOString(), files: entries, meta };
  await bucket.put(stageKey(stage, inputHash, "done.json"), JSON.stringify(done), { contentType: "application/json" });
  await markLatest(bucket, stage, inputHash);
  await pruneStage(bucket, stage, keep, inputHash);
  return done;
}

export async function markLatest(bucket: Bucket, stage: string, inputHash: string): Promise<void> {
  await bucket.put(`${STAGES_PREFIX}/${stage}/LATEST.json`, JSON.stringify({ inputHash, at: new Date().toISOString() }), { contentType: "application/json" });
}

/** Reads one file of a completed output and checks it against done.json. */
export async function readStageFile(bucket: Bucket, done: StageDone, name: string): Promise<Uint8Array> {
  const entry = done.files[name];
  if (!entry) throw new Error(`stage ${done.stage} ${done.inputHash.slice(0, 12)}: no file ${name}`);
  const bytes = await bucket.get(stageKey(done.stage, done.inputHash, name));
  if (!bytes || bytes.byteLength !== entry.bytes || (await sha256Hex(bytes)) !== entry.sha256) {
    throw new Error(`stage ${done.stage} ${done.inputHash.slice(0, 12)}: ${name} is missing or corrupt; rerun --from ${done.stage}`);
  }
  return bytes;
}

export async function readStageJson<T>(bucket: Bucket, done: StageDone, name: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await readStageFile(bucket, done, name))) as T;
}

/** Keeps the `keep` newest outputs of a stage (and `current`); deletes the other folders. */
async function pruneStage(bucket: Bucket, stage: string, keep: number, current: string): Promise<void> {
  const folders = new Map<string, string>();
  for await (const o of bucket.list(`${STAGES_PREFIX}/${stage}/`)) {
    const parts = o.key.split("/");
    if (parts.length < 4) continue;
    const h = parts[2]!;
    if (!folders.has(h) || parts[3] === "done.json") folders.set(h, parts[3] === "done.json" ? (o.uploaded?.toISOString() ?? "") : (folders.get(h) ?? ""));
  }
  const ordered = [...folders.entries()].filter(([h]) => h !== current).sort((a, b) => b[1].localeCompare(a[1]));
  for (const [h] of ordered.slice(Math.max(0, keep - 1))) {
    await bucket.delete(stageKey(stage, h, "done.json"));
    for await (const o of bucket.list(`${STAGES_PREFIX}/${stage}/${h}/`)) await bucket.delete(o.key);
  }
}

/** Content hash naming a stage output: stage, parameters and upstream hashes. */
export function hashInputs(parts: unknown[]): Promise<string> {
  return sha256Hex(JSON.stringify(parts));
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
