// Reads the RDF metadata block of an openclipart SVG (old `web.resource.org/cc/` namespace).
// Regex-based on purpose: the block is small and regular, and a full XML parse of 7k files
// (some malformed) would be slower and fail on files whose drawing part is broken.

export interface SvgMetadata {
  title: string;
  description: string;
  tags: string[];
  creator: string;
  date: string;
  /** `cc:license rdf:resource` URL, "" when absent. */
  license: string;
}

const EMPTY: SvgMetadata = { title: "", description: "", tags: [], creator: "", date: "", license: "" };

export function parseSvgMetadata(svg: string): SvgMetadata {
  const work = /<cc:Work\b[^>]*>([\s\S]*?)<\/cc:Work>/.exec(svg)?.[1];
  if (!work) return { ...EMPTY, tags: [] };
  const creatorBlock = /<dc:creator\b[^>]*>([\s\S]*?)<\/dc:creator>/.exec(work)?.[1] ?? "";
  // Agent blocks (creator, publisher, rights, contributor) hold their own dc:title: cut them out
  // before looking for the work's title.
  const own = work.replace(/<dc:(creator|publisher|rights|contributor)\b[^>]*>[\s\S]*?<\/dc:\1>/g, "");
  const bag = /<dc:subject\b[^>]*>([\s\S]*?)<\/dc:subject>/.exec(own)?.[1] ?? "";
  const tags = [...bag.matchAll(/<rdf:li\b[^>]*>([\s\S]*?)<\/rdf:li>/g)].map((m) => text(m[1] ?? ""));
  return {
    title: text(element(own, "dc:title")),
    description: text(element(own, "dc:description")),
    tags: tags.filter((t) => t.length > 0),
    creator: text(element(creatorBlock, "dc:title")),
    date: text(element(own, "dc:date")),
    license: /<cc:license\b[^>]*rdf:resource="([^"]*)"/.exec(own)?.[1]?.trim() ?? "",
  };
}

function element(xml: string, name: string): string {
  const re = new RegExp(`<${name}\\b[^>]*?(?:/>|>([\\s\\S]*?)</${name}>)`);
  return re.exec(xml)?.[1] ?? "";
}

/** Element text → plain string: CDATA unwrapped, nested tags dropped, XML entities decoded, spaces collapsed. */
export function text(raw: string): string {
  return decodeEntities(
    raw
      .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1")
      .replace(/<[^>]+>/g, " "),
  )
    .replace(/\s+/g, " ")
    .trim();
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ent: string) => {
    if (ent[0] === "#") {
      const code = ent[1] === "x" || ent[1] === "X" ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ent] ?? whole;
  });
}
