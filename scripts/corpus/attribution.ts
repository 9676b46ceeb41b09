// ATTRIBUTION.md for a generated corpus: source, licence, and every creator with their works.
import type { CorpusWork } from "./types.ts";

export function attributionMarkdown(works: CorpusWork[], packageVersion: string): string {
  const byArtist = new Map<string, CorpusWork[]>();
  for (const w of works) {
    const key = w.artist ?? "Unknown creator";
    byArtist.set(key, [...(byArtist.get(key) ?? []), w]);
  }
  const lines = [
    "# Attribution",
    "",
    `These ${works.length} images and their metadata come from the Open Clip Art Library (openclipart.org),`,
    `as packaged by Debian in \`openclipart-svg\` ${packageVersion}. Every work here is in the **public domain**`,
    "(marked `http://web.resource.org/cc/PublicDomain` in its SVG metadata; openclipart's licence for all uploads).",
    "No permission is needed; we credit the creators anyway. Images are WebP renders of the original SVGs,",
    "cropped to the drawing, made by `scripts/corpus/build.ts`. `sourcePath` in works.json names the original file",
    "under `/usr/share/openclipart/svg/`.",
    "",
    "## Creators",
    "",
  ];
  for (const [artist, list] of [...byArtist].sort((a, b) => a[0].localeCompare(b[0]))) {
    const titles = list.map((w) => `${w.title.replace(/([\\`*_[\]<>|])/g, "\\$1")} (\`${w.id}\`)`).join(", ");
    lines.push(`- **${artist.replace(/([\\`*_[\]<>|])/g, "\\$1")}** — ${titles}`);
  }
  return lines.join("\n") + "\n";
}
