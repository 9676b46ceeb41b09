// Curation rules from data.md: keep an art-like subset of openclipart and clean its metadata.
import { cleanText } from "./clean-text.ts";
import type { ScannedDesign } from "./scan.ts";
import type { CorpusWork } from "./types.ts";

/** A curated work before rendering: the works.json entry without its image fields. */
export type CuratedWork = Omit<CorpusWork, "image" | "width" | "height">;

/** Folders that hold icons, UI parts, generated shapes or duplicates rather than art. */
const DROPPED_FOLDERS = [
  "computer",
  "buttons",
  "logos",
  "shapes/stars",
  "shapes/flowchart",
  "shapes/callouts",
  "shapes/jigsaw",
  "special/gradients",
  "special/patterns",
  "special/examples",
  "unsorted/duplicates",
  "signs_and_symbols/led",
  // Not for a storefront (data.md: review the demo set): weapons and lingerie adverts.
  "tools/weapons",
  "people/clothing/pantyhose",
  "special", // openclipart's own CD covers, labels and posters
];
/** Removed after reviewing the rendered sample by eye: nudity, a hate symbol, a slur. */
const REVIEWED_OUT = new Set([
  "animals/fantasy/mermaid_kurt_cagle_.svg",
  "recreation/religion/eris_nurbldoff_ksc_.svg",
  "decorations/sunwheel_vikingdread_01.svg",
  "people/smilies/chav_01.svg",
]);
/** Unclothed body outlines (anatomy templates). */
const REVIEWED_OUT_PATTERN = /^people\/silhouette_(fe)?male_\d+\.svg$/;
/** Layout templates and technical sheets rather than pictures. */
const NOT_ART_TITLE = /\b(example|template|cd ?(front)?cover|cd ?label|pinout|mpcad|cursos)\b/i;
const DROPPED_CREATORS = new Set(["codifiedivining"]);
/** Metadata artefacts and folder echoes that carry no meaning as tags. */
const NOISE_TAGS = new Set(["hash", "magick", "unsorted", "special", "signs_and_symbols", "lemon_theme_icon"]);
/** Not for a storefront: weapons, violence, nudity (data.md asks to filter these by tag). */
const UNSUITABLE = /^(weapons?|guns?|gunshot|grenades?|ammunition|explosives?|bullets?|bullethole|swords?|bombs?|bomber|rifles?|pistols?|military|war|tank|sex|sexy|erotik|erotic|nudity|naked|topless)$|nud[eo]/;
const UNSUITABLE_TITLE = /\b(gun|pistol|rifle|sword|bomb|bullet|grenade|nude|naked|topless|weapon)s?\b/i;
/** A title shared by this many designs is a collection name, not a title (data.md). */
const COLLECTION_TITLE_MIN = 10;
const PUBLIC_DOMAIN_LICENSES = new Set([
  "",
  "http://web.resource.org/cc/PublicDomain",
  "http://creativecommons.org/licenses/publicdomain/",
]);

export interface CurationStats {
  scanned: number;
  droppedFolder: number;
  droppedCreator: number;
  droppedCollectionTitle: number;
  droppedGeneratedStar: number;
  droppedUnsuitable: number;
  droppedLicense: number;
  titleFromFileName: number;
  kept: number;
}

export function curate(designs: ScannedDesign[]): { works: CuratedWork[]; stats: CurationStats } {
  const stats: CurationStats = {
    scanned: designs.length,
    droppedFolder: 0,
    droppedCreator: 0,
    droppedCollectionTitle: 0,
    droppedGeneratedStar: 0,
    droppedUnsuitable: 0,
    droppedLicense: 0,
    titleFromFileName: 0,
    kept: 0,
  };
  const titleCount = new Map<string, number>();
  for (const d of designs) titleCount.set(d.meta.title, (titleCount.get(d.meta.title) ?? 0) + 1);

  const works: CuratedWork[] = [];
  const usedIds = new Set<string>();
  for (const d of [...designs].sort((a, b) => a.sourcePath.localeCompare(b.sourcePath))) {
    const categories = d.categories.filter((c) => !isDroppedFolder(c) && c !== ".");
    if (categories.length === 0) {
      stats.droppedFolder++;
      continue;
    }
    const rawTags = d.meta.tags.map((t) => cleanText(t).toLowerCase());
    if (DROPPED_CREATORS.has(d.meta.creator.toLowerCase())) {
      stats.droppedCreator++;
      continue;
    }
    if (d.meta.title === "gramastar" || (rawTags.includes("magick") && rawTags.includes("stars"))) {
      stats.droppedGeneratedStar++;
      continue;
    }
    if (d.meta.title !== "" && (titleCount.get(d.meta.title) ?? 0) >= COLLECTION_TITLE_MIN) {
      stats.droppedCollectionTitle++;
      continue;
    }
    if (
      rawTags.some((t) => UNSUITABLE.test(t) || t === "template") ||
      UNSUITABLE_TITLE.test(d.meta.title) ||
      NOT_ART_TITLE.test(d.meta.title) ||
      NOT_ART_TITLE.test(d.fileName) ||
      REVIEWED_OUT.has(d.sourcePath) ||
      REVIEWED_OUT_PATTERN.test(d.sourcePath)
    ) {
      stats.droppedUnsuitable++;
      continue;
    }
    if (!PUBLIC_DOMAIN_LICENSES.has(d.meta.license)) {
      stats.droppedLicense++;
      continue;
    }
    let title = cleanTitle(cleanText(d.meta.title));
    if (title === null) {
      title = titleFromFileName(d.fileName, d.meta.creator);
      stats.titleFromFileName++;
    }
    const creatorTag = d.meta.creator.toLowerCase();
    const tags = [...new Set(rawTags.filter((t) => t && !NOISE_TAGS.has(t) && t !== creatorTag && t.length <= 40))];
    const id = uniqueId(slugify(d.fileName.replace(/\.svg$/i, "")), usedIds);
    works.push({
      id,
      title,
      artist: cleanArtist(cleanText(d.meta.creator)),
      description: cleanText(d.meta.description) || null,
      tags,
      categories,
      date: normaliseDate(d.meta.date),
      license: "Public Domain",
      sourcePath: d.sourcePath,
    });
  }
  stats.kept = works.length;
  return { works, stats };
}

function isDroppedFolder(folder: string): boolean {
  return DROPPED_FOLDERS.some((f) => folder === f || folder.startsWith(`${f}/`));
}

/** Creator names sometimes carry an e-mail address or are truncated to "c...": keep the name only. */
export function cleanArtist(raw: string): string | null {
  const name = raw
    .replace(/\s*[([<]?[\w.+-]+@[\w-]+(\.[\w-]+)+[)\]>]?/g, (m) => (m.trim() === raw.trim() ? m : ""))
    .replace(/\s+-\s*$/, "")
    .trim();
  if (/^[\w.+-]+@[\w-]+(\.[\w-]+)+$/.test(name)) return name.split("@")[0]!; // only an address: its local part
  if (name.replace(/[^\p{L}]/gu, "").length < 2 || /\.\.\.$/.test(name)) return null;
  return name;
}

/** Returns a usable title, or null when the metadata title is junk and the file name should be used. */
export function cleanTitle(raw: string): string | null {
  let t = raw.replace(/^Clipart by [^-]+ - /i, "").trim();
  if (t !== raw.trim()) t = humanise(t);
  if (t.length < 2 || t.length > 120) return null;
  if (/\.svg$/i.test(t) || /^(untitled|drawing|image|layer ?\d*|svg|clipart|new document.*)$/i.test(t)) return null;
  if (/^[\w-]+$/.test(t) && /[_]/.test(t)) return humanise(t); // snake_case file-like title
  return t;
}

/**
 * File names repeat the title plus a shortened creator and a counter (`2_dead_frogs_lumen_desig_01.svg`):
 * strip the counter and the longest prefix of the creator's slug the name ends with.
 */
export function titleFromFileName(fileName: string, creator: string): string {
  let base = fileName
    .replace(/\.svg$/i, "")
    .replace(/_\d{1,3}$/, "")
    .replace(/_+$/, "")
    .replace(/_openclip\w*$/i, "");
  const creatorSlug = creator.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
  for (let n = creatorSlug.length; n >= 4; n--) {
    const suffix = `_${creatorSlug.slice(0, n).replace(/_+$/, "")}`;
    if (base.toLowerCase().endsWith(suffix) && base.length > suffix.length) {
      base = base.slice(0, base.length - suffix.length);
      break;
    }
  }
  return humanise(base) || "Untitled";
}

function humanise(s: string): string {
  const words = s.replace(/[_-]+/g, " ").replace(/\s+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function slugify(s: string): string {
  return (
    s
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "work"
  );
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let i = 2; used.has(id); i++) id = `${base}-${i}`;
  used.add(id);
  return id;
}

/** Keeps a dc:date only when it parses; returns an ISO date (YYYY-MM-DD). */
function normaliseDate(raw: string): string | null {
  if (!raw) return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const t = Date.parse(raw);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : null;
}
