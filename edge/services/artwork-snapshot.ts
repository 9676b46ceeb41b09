// In-memory snapshot of the browsable catalogue (every active, non-duplicate work, with the columns list
// views need, stored column-wise: edge/services/work-table.ts). List endpoints page, filter and rank over it
// without a DB round trip per request; the DB is asked only for a cheap fingerprint every `ttlMs`, and a changed catalogue is reloaded in
// the background while the previous snapshot keeps serving (at most one reload in flight).
import type { Logger } from "../../common/log.ts";
import type { ArtworkSnapshotRepository, SnapshotRow } from "../repositories/artwork-snapshot.ts";
import { unavailable } from "../errors.ts";
import { type WorkInput, WorkTable } from "./work-table.ts";

export type { SnapshotWork } from "./work-table.ts";

export interface CatalogSnapshot {
  /** Fingerprint of the DB state it was built from. */
  version: string;
  works: WorkTable;
  /** Browsable ids (active, not a duplicate listing), ascending. */
  ids: number[];
  /** Work id → ids of duplicate listings (other offers of the same work). */
  offers: Map<number, number[]>;
}

export const normTag = (t: string) => t.trim().toLowerCase().replace(/\s+/g, " ");

export function buildSnapshot(version: string, rows: SnapshotRow[]): CatalogSnapshot {
  const input: WorkInput[] = [];
  const ids: number[] = [];
  const offers = new Map<number, number[]>();
  const active = new Set(rows.map((r) => r.id));
  for (const given of rows) {
    // A duplicate whose primary is gone is a work of its own again (common/db/browsable.ts).
    const row = given.duplicateOf != null && !active.has(given.duplicateOf) ? { ...given, duplicateOf: null } : given;
    const tags = [...new Set((row.tags ?? []).map(normTag).filter((t) => t.length > 0))];
    input.push({ row, artistKey: (row.artist ?? "").trim().toLowerCase(), tags });
    if (row.duplicateOf == null) ids.push(row.id);
    else offers.set(row.duplicateOf, [...(offers.get(row.duplicateOf) ?? []), row.id]);
  }
  return { version, works: new WorkTable(input), ids, offers };
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
