// The works.json entry shape — the contract between the corpus generator, the fixture shop and tests.
export interface CorpusWork {
  /** Stable slug from the source file name, unique in the corpus. */
  id: string;
  title: string;
  artist: string | null;
  description: string | null;
  tags: string[];
  /** Every package folder the drawing is filed under, e.g. "animals/birds". */
  categories: string[];
  /** ISO date (YYYY-MM-DD) from dc:date, when present. */
  date: string | null;
  license: string;
  /** Path of the original SVG relative to /usr/share/openclipart/svg/. */
  sourcePath: string;
  /** Relative to works.json: "images/<id>.webp". */
  image: string;
  width: number;
  height: number;
}
