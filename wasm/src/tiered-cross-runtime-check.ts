// The tiered-index cases on whatever runtime runs this file (Deno via tiered-deno.test.ts, Node too):
// builds the same seeded index, runs every query kind against the reference, prints one JSON line.
import { loadVectorCore } from "./load-node.ts";
import { crossRuntimeTiered } from "./tiered-cases.ts";

export async function tieredCrossRuntime(): Promise<{ problems: string[]; results: unknown[]; tierBytes: number[] }> {
  return crossRuntimeTiered(await loadVectorCore());
}

if ((import.meta as { main?: boolean }).main) {
  const result = await tieredCrossRuntime();
  console.log(JSON.stringify({ runtime: "Deno" in globalThis ? "deno" : "node", ...result }));
}
