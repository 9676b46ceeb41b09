// Repairs text from openclipart metadata: some titles are HTML-escaped twice ("Croissant (B &amp;amp; W)",
// "Gelato all&#39;italiana") or are UTF-8 read as Latin-1 and then escaped ("L&Atilde;&copy;zard").
import { decodeEntities } from "./svg-metadata.ts";

// HTML 4 Latin-1 entity names for code points 160..255, in order.
const LATIN1 =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml".split(
    " ",
  );
const HTML_NAMED = new Map(LATIN1.map((name, i) => [name, String.fromCharCode(160 + i)]));

function decodeHtmlNamed(s: string): string {
  return s.replace(/&([a-zA-Z][a-zA-Z0-9]*);/g, (whole, name: string) => HTML_NAMED.get(name) ?? whole);
}

export function cleanText(raw: string): string {
  let s = raw;
  for (let i = 0; i < 3; i++) {
    const next = decodeHtmlNamed(decodeEntities(s));
    if (next === s) break;
    s = next;
  }
  // Mojibake: UTF-8 bytes shown as Latin-1 ("Ã©" for "é"). Re-decode only when that yields valid UTF-8.
  if (/[\u00c2-\u00f4][\u0080-\u00bf]/.test(s) && /^[\u0000-\u00ff]*$/.test(s)) {
    const fixed = Buffer.from(s, "latin1").toString("utf8");
    if (!fixed.includes("\ufffd")) s = fixed;
  }
  return s.replace(/\u00a0/g, " ").replace(/\s+/g, " ").trim();
}
