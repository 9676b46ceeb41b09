// In-memory snapshot of the browsable catalogue (every active, non-duplicate work, with the columns list
// views need; API summaries are built from it on read). List endpoints page, filter and rank over it without a DB round trip per request;
// the DB is asked only for a cheap fingerprint every `ttlMs`, and a changed catalogue is reloaded in
// the background while the previous snapshot keeps serving (at most one reload in flight).
import type { ArtworkSummary } from "../../common/api.ts";
import type { Logger } from "../../common/log.ts";
import type { ArtworkSnapshotRepository, SnapshotRow } from "../repositories/artwork-snapshot.ts";
import { unavailable } from "../errors.ts";
import { standardVariants, toSummary } from "./views.ts";

export interface SnapshotWork {
  id: number;
  /** The row, slimmed: raw tags dropped (see `tags`), standard image variants left to be derived. */
  row: SnapshotRow;
  /** Built on each read (about a microsecond), not kept: held for every work it was a third of the heap. */
  readonly summary: ArtworkSummary;
  summaryWith<E extends object>(extra: E): ArtworkSummary & E;
  /** Lower-cased artist ("" when unknown): the diversity key. */
  artistKey: string;
  /** Normalised tags (lower case, trimmed, unique). */
  tags: string[];
}

export interface CatalogSnapshot {
  /** Fingerprint of the DB state it was built from. */
  version: string;
  works: Map<number, SnapshotWork>;
  /** Browsable ids (active, not a duplicate listing), ascending. */
  ids: number[];
  /** Work id → ids of duplicate listings (other offers of the same work). */
  offers: Map<number, number[]>;
}

export const normTag = (t: string) => t.trim().toLowerCase().replace(/\s+/g, " ");

const NO_TAGS = Object.freeze([]) as unknown as string[];
const NO_VARIANTS: SnapshotRow["imageVariants"] = Object.freeze({}) as SnapshotRow["imageVariants"];

/** Memory per work matters at 100k+ works in one isolate: keep only what lists and filters read. */
/** One instance per distinct string: the driver hands every row its own copy of "USD", a shop name, a tag. */
class Interner {
  private readonly seen = new Map<string, string>();
  of<T extends string | null | undefined>(s: T): T {
    if (typeof s !== "string") return s;
    const hit = this.seen.get(s);
    if (hit !== undefined) return hit as T;
    this.seen.set(s, s);
    return s;
  }
}

function slim(row: SnapshotRow, strings: Interner): SnapshotRow {
  return {
    ...row,
    shopId: strings.of(row.shopId),
    shopName: strings.of(row.shopName),
    artist: strings.of(row.artist),
    category: strings.of(row.category),
    currency: strings.of(row.currency),
    orientation: strings.of(row.orientation),
    tags: NO_TAGS,
    imageVariants: standardVariants(row.imageHash, row.imageVariants) ? NO_VARIANTS : row.imageVariants,
  };
}

class Work implements SnapshotWork {
  readonly id: number;
  constructor(
    readonly row: SnapshotRow,
    readonly artistKey: string,
    readonly tags: string[],
  ) {
    this.id = row.id;
  }

  get summary(): ArtworkSummary {
    return toSummary(this.row);
  }

  /** A fresh summary with extra fields (a score, a reason): set on the new object, not spread into a copy. */
  summaryWith<E extends object>(extra: E): ArtworkSummary & E {
    return Object.assign(toSummary(this.row), extra);
  }
}

export function buildSnapshot(version: string, rows: SnapshotRow[]): CatalogSnapshot {
  const works = new Map<number, SnapshotWork>();
  const ids: number[] = [];
  const offers = new Map<number, number[]>();
  const active = new Set(rows.map((r) => r.id));
  const strings = new Interner();
  for (const given of rows) {
    // A duplicate whose primary is gone is a work of its own again (common/db/browsable.ts).
    const row = given.duplicateOf != null && !active.has(given.duplicateOf) ? { ...given, duplicateOf: null } : given;
    const tags = [...new Set((row.tags ?? []).map((t) => strings.of(normTag(t))).filter((t) => t.length > 0))];
    works.set(row.id, new Work(slim(row, strings), strings.of((row.artist ?? "").trim().toLowerCase()), tags));
    if (row.duplicateOf == null) ids.push(row.id);
    else offers.set(row.duplicateOf, [...(offers.get(row.duplicateOf) ?? []), row.id]);
  }
  return { version, works, ids, offers };
}

export class ArtworkSnapshotStore {
  private snapshot: CatalogSnapshot | null = null;
  private checkedAt = -Infinity;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly repo: ArtworkSnapshotRepository,
    private readonly logger: Logger,
    private readonly ttlMs = 5000,
  ) {}

  async current(): Promise<CatalogSnapshot> {
    // Until the first load has finished every caller joins it: `checkedAt` is set as soon as the
    // fingerprint is read, before the rows arrive, so the TTL alone cannot tell "loaded".
    if (!this.snapshot || Date.now() - this.checkedAt >= this.ttlMs) {
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
      // The first load must be awaited; later ones refresh behind the current snapshot.
      if (!this.snapshot) await this.refreshing;
    }
    if (!this.snapshot) throw unavailable("catalog_unavailable", "the catalogue is loading; retry shortly");
    return this.snapshot;
  }

  private async refresh(): Promise<void> {
    try {
      const version = await this.repo.fingerprint();
      this.checkedAt = Date.now();
      if (this.snapshot?.version === version) return;
      const started = Date.now();
      const rows = await this.repo.activeRows();
      this.snapshot = buildSnapshot(version, rows);
      this.logger.info("catalog snapshot loaded", { works: rows.length, ms: Date.now() - started });
    } catch (err) {
      this.checkedAt = Date.now() - this.ttlMs + 1000; // retry soon
      if (!this.snapshot) throw err;
      this.logger.error("catalog snapshot refresh failed; serving the previous one", { err });
    }
  }
}
