// Keeps one ArtworkModel per (catalogue snapshot, artifact version); rebuilt when either changes.
import type { Bucket } from "../../common/bucket/types.ts";
import type { Logger } from "../../common/log.ts";
import type { ArtifactStore, LoadedArtifacts } from "./artifact-store.ts";
import { type ArtifactExtras, loadArtifactExtras } from "./artwork-artifact-extras.ts";
import { type ArtworkModel, buildArtworkModel } from "./artwork-model.ts";
import type { ArtworkSnapshotStore } from "./artwork-snapshot.ts";

export class ArtworkModelStore {
  private model: ArtworkModel | null = null;
  private building: { key: string; promise: Promise<ArtworkModel> } | null = null;
  private extras: { version: string; promise: Promise<ArtifactExtras> } | null = null;

  constructor(
    readonly snapshots: ArtworkSnapshotStore,
    readonly artifacts: ArtifactStore,
    private readonly bucket: Bucket,
    private readonly logger: Logger,
  ) {}

  async current(): Promise<ArtworkModel> {
    const [snapshot, set] = await Promise.all([this.snapshots.current(), this.artifacts.current()]);
    const key = `${snapshot.version}|${set?.manifest.version ?? "-"}`;
    if (this.model?.key === key) return this.model;
    if (this.building?.key !== key) {
      const promise = (async () => {
        const started = Date.now();
        const extras = set ? await this.extrasFor(set) : null;
        const model = buildArtworkModel(snapshot, set, extras);
        this.logger.info("read model built", { key, works: snapshot.ids.length, clusters: model.clusters.length, source: model.clusterSource, ms: Date.now() - started });
        return model;
      })();
      this.building = { key, promise };
      promise.then(
        (m) => {
          if (this.building?.key === key) this.building = null;
          this.model = m;
        },
        () => {
          if (this.building?.key === key) this.building = null;
        },
      );
    }
    return this.building!.promise;
  }

  private extrasFor(set: LoadedArtifacts): Promise<ArtifactExtras> {
    if (this.extras?.version !== set.manifest.version) {
      this.extras = { version: set.manifest.version, promise: loadArtifactExtras(this.bucket, set, this.logger) };
    }
    return this.extras.promise;
  }
}
