// Runs the same seeded comparison on whatever runtime executes it (Deno via deno.test.ts; Node too) and
// prints one JSON line: the hits for fixed cases plus whether each agreed with the reference.
import { loadVectorCore } from "./load-node.ts";
import { randomRows, randomUnitFloat, randomUnitI8, rng } from "./random-vectors.ts";
import { ReferenceIndex } from "./reference.ts";

export async function crossRuntimeCases(): Promise<{ agree: boolean; cases: unknown[] }> {
  const core = await loadVectorCore();
  const rand = rng(2026);
  const cases: unknown[] = [];
  let agree = true;
  for (const [count, dim] of [[0, 8], [5, 7], [1200, 77], [3000, 128]] as const) {
    const vectors = randomUnitI8(rand, count, dim);
    const index = core.loadIndex(vectors, count, dim);
    const ref = new ReferenceIndex(vectors, count, dim);
    const q = randomUnitFloat(rand, dim);
    const opts = count > 0 ? { exclude: randomRows(rand, count, 0.2), allow: randomRows(rand, count, 0.7) } : {};
    const plain = index.search(q, 20);
    const filtered = index.search(q, 20, opts);
    const liked = count > 10 ? [1, 2, 3] : [], disliked = count > 10 ? [4] : [];
    const examples = liked.length ? index.searchByExamples(liked, disliked, 10) : [];
    agree &&= JSON.stringify(plain) === JSON.stringify(ref.search(q, 20));
    agree &&= JSON.stringify(filtered) === JSON.stringify(ref.search(q, 20, opts));
    if (liked.length) agree &&= JSON.stringify(examples) === JSON.stringify(ref.searchByExamples(liked, disliked, 10));
    cases.push({ count, dim, plain, filtered, examples });
  }
  return { agree, cases };
}

if ((import.meta as { main?: boolean }).main) { // true when run by Deno as the entry script
  const result = await crossRuntimeCases();
  console.log(JSON.stringify({ runtime: "Deno" in globalThis ? "deno" : "node", ...result }));
}
