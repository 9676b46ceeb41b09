// Walks the package's SVG tree and merges every path that holds the same drawing into one design:
// symlinks (the same file filed under another folder), byte-identical copies, and separate files
// that share a file name (data.md: 549 names repeat across folders — treated as one design).
// Every folder a design appears in becomes one of its categories.
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { parseSvgMetadata, type SvgMetadata } from "./svg-metadata.ts";

export interface ScannedDesign {
  /** Primary file, relative to the SVG root (first in sorted order among the real files). */
  sourcePath: string;
  fileName: string;
  /** Folder paths relative to the SVG root, e.g. "animals/birds", sorted. */
  categories: string[];
  meta: SvgMetadata;
  /** Number of distinct real files merged into this design. */
  files: number;
}

interface RealFile {
  path: string;
  folders: Set<string>;
}

export function scanTree(svgRoot: string): ScannedDesign[] {
  const byReal = new Map<string, RealFile>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const st = lstatSync(full);
      if (st.isDirectory()) walk(full);
      else if (name.toLowerCase().endsWith(".svg") && (st.isFile() || st.isSymbolicLink())) {
        let real: string;
        try {
          real = realpathSync(full);
        } catch {
          continue; // dangling symlink
        }
        const rel = relative(svgRoot, real);
        const entry = byReal.get(rel) ?? { path: rel, folders: new Set<string>() };
        entry.folders.add(relative(svgRoot, dirname(full)) || ".");
        byReal.set(rel, entry);
      }
    }
  };
  walk(svgRoot);

  // Group real files by content hash, then by file name; the group key is the first path seen.
  const groups = new Map<string, { files: RealFile[]; content: string }>();
  const keyByHash = new Map<string, string>();
  const keyByName = new Map<string, string>();
  for (const file of [...byReal.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    const content = readFileSync(join(svgRoot, file.path), "utf8");
    const hash = createHash("sha1").update(content).digest("hex");
    const name = basename(file.path).toLowerCase();
    const key = keyByHash.get(hash) ?? keyByName.get(name) ?? file.path;
    keyByHash.set(hash, key);
    if (!keyByName.has(name)) keyByName.set(name, key);
    const group = groups.get(key) ?? { files: [], content };
    group.files.push(file);
    groups.set(key, group);
  }

  return [...groups.entries()].map(([key, g]) => ({
    sourcePath: key,
    fileName: basename(key),
    categories: [...new Set(g.files.flatMap((f) => [...f.folders]))].sort(),
    meta: parseSvgMetadata(g.content),
    files: g.files.length,
  }));
}
