// Loads and validates batch/pipeline.yaml: the DAG of stages, the embedder choice, tag
// normalisation and vibes. Every problem is reported with its path; cycles and unknown
// dependencies are refused before anything runs.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

export const DEFAULT_PIPELINE_CONFIG = fileURLToPath(new URL("./pipeline.yaml", import.meta.url));

const StageName = z.string().regex(/^[a-z][a-z0-9-]*$/, "stage names are lower-case words joined by '-'");

export const StageConfigSchema = z.object({
  /** Module name in batch/pipeline-registry.ts. */
  module: z.string(),
  needs: z.array(StageName).default([]),
  /** Per-item stage: `--shard i/N` gives it 1/N of the items. */
  sharded: z.boolean().default(false),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type StageConfig = z.infer<typeof StageConfigSchema>;

export const VibeSchema = z.object({
  name: z.string().min(1),
  tagline: z.string().default(""),
  tags: z.array(z.string()).default([]),
  /** Cluster ids picked by hand (optional; otherwise chosen by tag overlap). */
  clusters: z.array(z.number().int().nonnegative()).default([]),
});
export type Vibe = z.infer<typeof VibeSchema>;

export const TagRulesSchema = z.object({
  synonyms: z.record(z.string(), z.string()).default({}),
  junk: z.array(z.string()).default([]),
  keepPlural: z.array(z.string()).default([]),
});
export type TagRules = z.infer<typeof TagRulesSchema>;

export const PipelineConfigSchema = z
  .object({
    version: z.literal(1),
    embedder: z
      .object({
        kind: z.enum(["auto", "classic", "clip"]).default("auto"),
        /** Overrides CLIP_MODEL_DIR / CLIP_MODEL_ID. */
        modelDir: z.string().optional(),
        modelId: z.string().optional(),
        batchSize: z.number().int().positive().max(1024).default(16),
      })
      .default({ kind: "auto", batchSize: 16 }),
    stages: z.record(StageName, StageConfigSchema),
    tags: TagRulesSchema.default({ synonyms: {}, junk: [], keepPlural: [] }),
    vibes: z.array(VibeSchema).default([]),
  })
  .superRefine((c, ctx) => {
    for (const [name, s] of Object.entries(c.stages))
      for (const n of s.needs) if (!c.stages[n]) ctx.addIssue({ code: "custom", path: ["stages", name, "needs"], message: `unknown stage "${n}"` });
    try {
      topoOrder(c.stages);
    } catch (e) {
      ctx.addIssue({ code: "custom", path: ["stages"], message: (e as Error).message });
    }
  });
export type PipelineConfig = z.infer<typeof PipelineConfigSchema>;

/** Stages in dependency order; ties keep the file's order. Throws on a cycle. */
export function topoOrder(stages: Record<string, { needs: string[] }>): string[] {
  const names = Object.keys(stages);
  const out: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (n: string, path: string[]) => {
    if (state.get(n) === "done" || !stages[n]) return;
    if (state.get(n) === "visiting") throw new Error(`cycle: ${[...path, n].join(" → ")}`);
    state.set(n, "visiting");
    for (const d of stages[n]!.needs) visit(d, [...path, n]);
    state.set(n, "done");
    out.push(n);
  };
  for (const n of names) visit(n, []);
  return out;
}

export function parsePipelineConfig(text: string, source = "pipeline config"): PipelineConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new Error(`${source}: not valid YAML: ${(e as Error).message}`);
  }
  const parsed = PipelineConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${source}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

export async function loadPipelineConfig(path = DEFAULT_PIPELINE_CONFIG): Promise<PipelineConfig> {
  return parsePipelineConfig(await readFile(path, "utf8"), path);
}

/** The stages a run executes: all, `--only` one, or `--from` one and every stage after it in dependency order. */
export function selectStages(config: PipelineConfig, opts: { only?: string; from?: string }): string[] {
  const order = topoOrder(config.stages);
  if (opts.only && opts.from) throw new Error("use either --only or --from, not both");
  for (const s of [opts.only, opts.from]) if (s && !config.stages[s]) throw new Error(`unknown stage "${s}" (stages: ${order.join(", ")})`);
  if (opts.only) return [opts.only];
  if (!opts.from) return order;
  // --from X: X and every stage after it in dependency order (stages whose inputs did not change
  // find their output by content hash and return at once).
  return order.slice(order.indexOf(opts.from));
}

export interface Shard {
  index: number;
  count: number;
}

/** "i/N" (0-based i) or the Cloud Run task variables; 0/1 when neither is set. */
export function parseShard(spec: string | undefined, env: Record<string, string | undefined> = process.env): Shard {
  const fromEnv = env.CLOUD_RUN_TASK_COUNT !== undefined ? `${env.CLOUD_RUN_TASK_INDEX ?? "0"}/${env.CLOUD_RUN_TASK_COUNT}` : undefined;
  const s = spec ?? fromEnv;
  if (s === undefined) return { index: 0, count: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`shard must look like i/N (e.g. 0/4), got ${JSON.stringify(s)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new Error(`shard ${index}/${count}: need 0 ≤ i < N`);
  return { index, count };
}

/** Stable shard of an item by its content hash (hex), so shards agree without talking to each other. */
export function shardOf(hexHash: string, count: number): number {
  return count <= 1 ? 0 : parseInt(hexHash.slice(0, 8), 16) % count;
}
