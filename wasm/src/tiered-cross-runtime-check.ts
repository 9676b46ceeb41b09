// The tiered-index cases on whatever runtime runs this file (Deno via tiered-deno.test.ts, Node too):
// builds the same seeded index, runs every query kind against the reference, prints one JSON line.
import { loadVectorCore } from "./load-node.ts";
import { buildCase, runTieredCases } from "./tiered-cases.ts";

export async function tieredCrossRuntime(): Promise<{ problems: string[]; results: unknown[]; tierBytes: number[] }> {
  const core = await loadVectorCore();
  const problems: string[] = [];
  const results: unknown[] = [];
  const tierBytes: number[] = [];
  for (const [count, dim, element] of [[1200, 128, "f16"], [1500, 512, "i8s"]] as const) {
    const b = await buildCase(core, count, dim, element);
    tierBytes.push(b.files["ivf-rabitq.bin"].byteLength, sum(b.files["ivf-rabitq.bin"]), sum(b.files["rerank.bin"]));
    const r = await runTieredCases(core, b);
    problems.push(...r.problems.map((p) => `${count}×${dim}: ${p}`));
    results.push(r.results);
  }
  return { problems, results, tierBytes };
}

function sum(bytes: Uint8Array): number {
  let h = 0;
  for (let i = 0; i < bytes.length; i++) h = (Math.imul(h, 31) + bytes[i]!) | 0;
  return h;
}

if ((import.meta as { main?: boolean }).main) {
  const result = await tieredCrossRuntime();
  console.log(JSON.stringify({ runtime: "Deno" in globalThis ? "deno" : "node", ...result }));
}
