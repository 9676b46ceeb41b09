// Tag normalisation: lower case, separators → "-", plural → singular (last word), synonyms from
// config, junk dropped. Pure; the same rules run for every work so the vocabulary is stable.
import type { TagRules } from "../pipeline-config.ts";

export interface TagNormaliser {
  (raw: string): string | null;
}

export function createNormaliser(rules: TagRules): TagNormaliser {
  const keep = new Set(rules.keepPlural.map(basic));
  const synonyms = new Map(Object.entries(rules.synonyms).map(([k, v]) => [basic(k), basic(v)]));
  const junk = new Set(rules.junk.map(basic));
  return (raw) => {
    let t = basic(raw);
    if (!t || junk.has(t)) return null;
    t = synonyms.get(t) ?? t;
    const parts = t.split("-");
    parts[parts.length - 1] = singular(parts[parts.length - 1]!, keep);
    t = parts.join("-");
    t = synonyms.get(t) ?? t;
    if (junk.has(t) || t.length < 2 || t.length > 40 || /^[0-9-]+$/.test(t)) return null;
    return t;
  };
}

function basic(s: string): string {
  return s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_/]+/g, "-")
    .replace(/[^\p{L}\p{N}&'-]+/gu, "")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

export function singular(w: string, keep: Set<string> = new Set()): string {
  if (w.length <= 3 || keep.has(w)) return w;
  if (/ies$/.test(w) && w.length > 4) return w.slice(0, -3) + "y";
  if (/(sses|xes|ches|shes|zzes)$/.test(w)) return w.slice(0, -2);
  if (/(ss|us|is|ous)$/.test(w)) return w;
  if (w.endsWith("s")) return w.slice(0, -1);
  return w;
}

/** Display form: each hyphen part in Title case ("black-and-white" → "Black-And-White"), as the original. */
export function tagLabel(name: string): string {
  return name
    .split("-")
    .map((p) => (p ? p[0]!.toUpperCase() + p.slice(1) : p))
    .join("-");
}
