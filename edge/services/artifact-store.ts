// Per-isolate cache of the published artifact set. The pointer (artifacts/CURRENT.json) is re-read
// at most every `pointerTtlMs`; when it names a new version, that version is loaded and verified in
// full before it replaces the old one in a single assignment, so no request sees a mixed index.
// A version that fails verification is refused (logged, reported by /api/health) and the last good
// one keeps serving.
import { readArtifactSet, readPointer, type ArtifactSet } from "../../common/artifacts/read.ts";
import type { Bucket } from "../../common/bucket/types.ts";
import type { Logger } from "../../common/log.ts";
import { createVectorCore, type VectorCore, type VectorIndex } from "../../wasm/src/index.ts";

/**
 * A loaded version. The int8 vectors live only in the WASM index (built while loading): no JS copy, which
 * was dim bytes per work of an isolate's 128 MB. Read a row with `rowVector`.
 */
export interface LoadedArtifacts extends Omit<ArtifactSet, "vectors"> {
  /** artwork id → row */
  rowOf: Map<number, number>;
  /** The int8 vectors in the WASM core. */
  index(): Promise<VectorIndex>;
  /** A copy of one row's int8 vector (scale 127). */
  rowVector(row: number): Int8Array;
  /** Frees the WASM index if it was built. */
  dispose(): void;
}

export interface ArtifactStatus {
  loaded: LoadedArtifacts | null;
  /** Last refusal (bad pointer, missing file, sha256 mismatch), cleared by the next good load. */
  error: string | null;
}

export class ArtifactStore {
  private loaded: LoadedArtifacts | null = null;
  private error: string | null = null;
  private checkedAt = -Infinity;
  private refreshing: Promise<void> | null = null;
  private refusedKey: string | null = null;
  private core: Promise<VectorCore> | null = null;

  constructor(
    private readonly bucket: Bucket,
    private readonly vectorModule: () => Promise<WebAssembly.Module>,
    private readonly logger: Logger,
    private readonly pointerTtlMs = 2000,
  ) {}

  /** The current set, or null when nothing valid was ever published. */
  async current(): Promise<LoadedArtifacts | null> {
    if (Date.now() - this.checkedAt >= this.pointerTtlMs) {
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
      await this.refreshing;
    }
    return this.loaded;
  }

  async status(): Promise<ArtifactStatus> {
    const loaded = await this.current();
    return { loaded, error: this.error };
  }

  private async refresh(): Promise<void> {
    let key: string | null = null;
    try {
      const pointer = await readPointer(this.bucket);
      this.checkedAt = Date.now();
      if (!pointer) {
        this.error = this.loaded ? "artifact pointer disappeared; serving the last loaded version" : null;
        return;
      }
      key = `${pointer.version}:${pointer.manifestSha256}`;
      if (this.loaded && `${this.loaded.pointer.version}:${this.loaded.pointer.manifestSha256}` === key) {
        // Back on the version being served (e.g. a rollback after a refused one): nothing is wrong any more.
        this.error = null;
        this.refusedKey = null;
        return;
      }
      if (this.refusedKey === key) return; // already refused; do not re-download it every TTL
      const started = Date.now();
      const set = await readArtifactSet(this.bucket, pointer);
      const index = (await this.vectorCore()).loadIndex(set.vectors, set.manifest.count, set.manifest.dim);
      const previous = this.loaded;
      this.loaded = this.wrap(set, index);
      this.error = null;
      this.refusedKey = null;
      this.logger.info("artifacts loaded", { version: set.manifest.version, count: set.manifest.count, dim: set.manifest.dim, ms: Date.now() - started });
      if (previous) retire(previous);
    } catch (err) {
      this.checkedAt = Date.now();
      const message = err instanceof Error ? err.message : String(err);
      this.error = message;
      this.refusedKey = key; // null when the pointer itself was unreadable: retried next TTL
      this.logger.error("artifact version refused", { error: message, serving: this.loaded?.manifest.version ?? null });
    }
  }

  private vectorCore(): Promise<VectorCore> {
    this.core ??= this.vectorModule().then((m) => createVectorCore(m));
    this.core.catch(() => (this.core = null)); // a failed compile may be retried later
    return this.core;
  }

  private wrap(set: ArtifactSet, index: VectorIndex): LoadedArtifacts {
    const rowOf = new Map<number, number>();
    set.ids.forEach((id, row) => rowOf.set(id, row));
    const { vectors: _copiedIntoWasm, ...rest } = set;
    const ready = Promise.resolve(index);
    return { ...rest, rowOf, index: () => ready, rowVector: (row) => index.row(row), dispose: () => index.dispose() };
  }
}

/** Frees an old version's WASM memory after in-flight requests that still hold it are done. */
function retire(old: LoadedArtifacts): void {
  const timer = setTimeout(() => old.dispose(), 60_000) as unknown as { unref?: () => void };
  timer.unref?.();
}
