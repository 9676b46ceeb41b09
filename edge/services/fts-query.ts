// Turns free user text into a safe FTS5 MATCH expression. Users never write FTS5 syntax: every
// word becomes a quoted string (so AND/OR/NEAR/column filters/quotes/parentheses are just text), and
// the last word is a prefix match so results appear while typing.
import { badRequest } from "../errors.ts";

export const MAX_QUERY_CHARS = 200;
export const MAX_QUERY_TERMS = 12;

/** Words are runs of letters, digits and combining marks, as FTS5's unicode61 tokenizer sees them. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export interface FtsQuery {
  /** Normalised text echoed to clients. */
  text: string;
  /** FTS5 expression, or null when the text has no searchable word (empty result, not an error). */
  match: string | null;
}

export function buildFtsQuery(raw: string): FtsQuery {
  const text = raw.normalize("NFKC").replace(/\s+/g, " ").trim();
  if (text.length === 0) throw badRequest("missing_query", "q must not be empty");
  if (text.length > MAX_QUERY_CHARS) throw badRequest("query_too_long", `q must be at most ${MAX_QUERY_CHARS} characters`);
  const words = [...new Set((text.toLowerCase().match(WORD) ?? []).map((w) => w.slice(0, 64)))].slice(0, MAX_QUERY_TERMS);
  if (words.length === 0) return { text, match: null };
  const quoted = words.map((w) => `"${w}"`);
  quoted[quoted.length - 1] += "*";
  return { text, match: quoted.join(" ") };
}
