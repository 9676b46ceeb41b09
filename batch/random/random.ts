// Random stage. Input: the merged matrix's artwork ids. Output: `selections` seeded random
// selections of `size` works each (stages/random/<hash>/random.u32, artwork ids; 0xFFFFFFFF pads
// when there are fewer works). Selection i holds the works with the smallest hash32(seed, i, id),
// so it is stable: adding or removing a work changes a selection only where that work ranks in.
import { z } from "zod";
import { ELEMENT, MAGIC, encodeBinary } from "../../common/artifacts/format.ts";
import { defineStage } from "../pipeline-stage.ts";
import { hashInputs, markLatest, readDone, writeStageOutput } from "../pipeline-outputs.ts";
import { currentMatrix } from "../shard/merge.ts";
import { hash32 } from "./prng.ts";

export const RandomParams = z
  .object({
    selections: z.number().int().min(1).max(100000).default(100),
    size: z.number().int().min(1).max(10000).default(100),
    seed: z.number().int().default(1),
  })
  .strict();
export type RandomParams = z.infer<typeof RandomParams>;
export const NONE = 0xffffffff;

export function randomSelections(ids: ArrayLike<number>, p: RandomParams): Uint32Array {
  const n = ids.length;
  const out = new Uint32Array(p.selections * p.size).fill(NONE);
  const keys = new Uint32Array(n);
  for (let s = 0; s < p.selections; s++) {
    for (let i = 0; i < n; i++) keys[i] = hash32(p.seed, s, ids[i]!);
    // Only keys under a generous threshold can be among the `size` smallest: sort those alone.
    let limit = Math.min(2 ** 32, Math.ceil(((p.size * 4 + 64) / Math.max(1, n)) * 2 ** 32));
    let cand: number[] = [];
    for (;;) {
      cand = [];
      for (let i = 0; i < n; i++) if (keys[i]! < limit) cand.push(i);
      if (cand.length >= Math.min(n, p.size) || limit >= 2 ** 32) break;
      limit = Math.min(2 ** 32, limit * 4);
    }
    cand.sort((a, b) => keys[a]! - keys[b]! || ids[a]! - ids[b]!);
    for (let j = 0; j < Math.min(p.size, cand.length); j++) out[s * p.size + j] = ids[cand[j]!]!;
  }
  return out;
}

export const randomStage = defineStage({
  module: "random",
  inputs: ["stages/embed-merge (artwork ids)"],
  outputs: ["stages/random/<hash>/random.u32 (selections × size artwork ids)"],
  params: RandomParams,
  async run(ctx, p, stage) {
    const t0 = Date.now();
    const m = await currentMatrix(ctx, stage);
    const inputHash = await hashInputs([stage, p, m.inputHash]);
    const cached = Boolean(await readDone(ctx.bucket, stage, inputHash));
    if (cached) await markLatest(ctx.bucket, stage, inputHash);
    else {
      const sel = randomSelections(m.ids, p);
      await writeStageOutput(ctx.bucket, stage, inputHash, { "random.u32": encodeBinary({ magic: MAGIC.random, element: ELEMENT.u32, rows: p.selections, cols: p.size, scale: 1 }, new Uint8Array(sel.buffer)) }, { matrix: m.inputHash });
    }
    const stats = { cached, works: m.ids.length, selections: p.selections, size: p.size, ms: Date.now() - t0 };
    ctx.log.child({ stage }).info("random finished", stats);
    return { inputHash, cached, stats };
  },
});

if (process.argv[1] && import.meta.filename === process.argv[1]) void import("../cli.ts").then((cli) => cli.runStageCli("random"));
