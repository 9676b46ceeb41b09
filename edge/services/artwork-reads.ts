// Builds the read-side services of issue 6 (feeds, taste finder, tags, clusters, vibes, map, hybrid
// search, detail, reverse image search) over one shared in-memory read model per app instance.
import type { AppDeps } from "../deps.ts";
import { ArtworkSignalsRepository } from "../repositories/artwork-signals.ts";
import { ArtworkSnapshotRepository } from "../repositories/artwork-snapshot.ts";
import { ArtworkRepository } from "../repositories/artworks.ts";
import type { ArtifactStore } from "./artifact-store.ts";
import { ArtworkDetailService } from "./artwork-detail.ts";
import { ArtworkModelStore } from "./artwork-model-store.ts";
import { ArtworkSnapshotStore } from "./artwork-snapshot.ts";
import { ClustersService } from "./clusters.ts";
import { ExploreService } from "./explore.ts";
import { RandomFeedService } from "./feed-random.ts";
import { MapService } from "./map.ts";
import { RecommendService } from "./recommend.ts";
import { SearchService } from "./search.ts";
import { SimilarService } from "./similar.ts";
import { SimilarUploadService } from "./similar-upload.ts";
import { TagsService } from "./tags.ts";

export interface ReadServices {
  models: ArtworkModelStore;
  detail: ArtworkDetailService;
  similar: SimilarService;
  search: SearchService;
  recommend: RecommendService;
  explore: ExploreService;
  random: RandomFeedService;
  tags: TagsService;
  clusters: ClustersService;
  map: MapService;
  upload: SimilarUploadService;
}

export function createReadServices(deps: AppDeps, artifacts: ArtifactStore): ReadServices {
  const artworks = new ArtworkRepository(deps.db);
  const snapshots = new ArtworkSnapshotStore(new ArtworkSnapshotRepository(deps.db), deps.logger, deps.options?.catalogTtlMs);
  const models = new ArtworkModelStore(snapshots, artifacts, deps.bucket, deps.logger);
  const signals = new ArtworkSignalsRepository(deps.db);
  const search = new SearchService(artworks, models, deps.logger, deps.textEmbedder);
  return {
    models,
    detail: new ArtworkDetailService(artworks, models),
    similar: new SimilarService(artworks, artifacts, models),
    search,
    recommend: new RecommendService(models, signals, search),
    explore: new ExploreService(models, signals),
    random: new RandomFeedService(models),
    tags: new TagsService(models),
    clusters: new ClustersService(models),
    map: new MapService(models),
    upload: new SimilarUploadService(models, deps.imageEmbedder, deps.runtime),
  };
}
