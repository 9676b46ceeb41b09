// Deterministic ordering of curated works for the tiers: a seeded shuffle, then round-robin over
// leaf categories so a prefix of any length spreads across the catalogue. Flags and signs are
// capped so the shop looks like an art shop rather than a vexillology catalogue.

import type { CuratedWork } from "./curate.ts";

export interface SelectOptions {
  seed: string;
  /** Max share of flags and of signs (each) in the result. */
  capShare: number;
  /** Works in ≥2 categories moved to the front so even a small tier has some (scraper dedupe tests). */
  multiCategoryFirst: number;
  /** Works whose titles need HTML escaping, moved to the front likewise. */
  specialTitlesFirst: number;
}

export function rankWorks(works: CuratedWork[], total: number, opts: SelectOptions): CuratedWork[] {
  // Order by a per-work hash rather than a shuffle of the whole list, so curation changes that add or
  // drop a few works leave everyone else's position (and thus the committed sample) alone.
  const key = (w: CuratedWork) => hashString(`${opts.seed}:${w.id}`);
  const shuffled = [...works].sort((a, b) => key(a) - key(b) || a.id.localeCompare(b.id));
  const buckets = new Map<string, CuratedWork[]>();
  for (const w of shuffled) {
    const key = w.categories[0]!;
    buckets.set(key, [...(buckets.get(key) ?? []), w]);
  }
  const keys = [...buckets.keys()].sort();
  const ordered: CuratedWork[] = [];
  for (let round = 0; ordered.length < shuffled.length; round++) {
    for (const k of keys) {
      const w = buckets.get(k)![round];
      if (w) ordered.push(w);
    }
  }
  const multi = ordered.filter((w) => w.categories.length > 1 && kindOf(w) === "art").slice(0, opts.multiCategoryFirst);
  // A few titles with apostrophes, ampersands or accents, so HTML-entity handling gets exercised.
  const special = ordered
    .filter((w) => !multi.includes(w) && /[&'"<>]|[^\x00-\x7f]/.test(w.title))
    .slice(0, opts.specialTitlesFirst);
  const front = [...multi, ...special];
  const rest = ordered.filter((w) => !front.includes(w));
  const cap = Math.max(1, Math.floor(total * opts.capShare));
  const counts = { flag: 0, sign: 0, art: 0 };
  const out: CuratedWork[] = [];
  for (const w of [...front, ...rest]) {
    const kind = kindOf(w);
    if (kind !== "art" && counts[kind] >= cap) continue;
    counts[kind]++;
    out.push(w);
  }
  return out;
}

export function kindOf(w: CuratedWork): "flag" | "sign" | "art" {
  if (w.categories.some((c) => c.startsWith("signs_and_symbols/flags")) || w.tags.includes("flag")) return "flag";
  if (w.categories.every((c) => c.startsWith("signs_and_symbols") || c === "transportation/roadsigns")) return "sign";
  return "art";
}

import { fnv1a as hashString } from "../../common/random.ts";

export { hashString };

export { mulberry32 } from "../../common/random.ts";
