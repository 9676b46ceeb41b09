// Builds every service from the injected dependencies (one set per app instance / isolate).
import type { AppDeps } from "../deps.ts";
import { ArtworkRepository } from "../repositories/artworks.ts";
import { ClickRepository } from "../repositories/clicks.ts";
import { SessionRepository } from "../repositories/session.ts";
import { ArtifactStore } from "./artifact-store.ts";
import { CatalogService } from "./catalog.ts";
import { ClickOutService } from "./click-out.ts";
import { HealthService } from "./health.ts";
import { ImageService } from "./images.ts";
import { SearchService } from "./search.ts";
import { SessionService } from "./session.ts";
import { SimilarService } from "./similar.ts";

export interface Services {
  artifacts: ArtifactStore;
  catalog: CatalogService;
  search: SearchService;
  similar: SimilarService;
  clickOut: ClickOutService;
  images: ImageService;
  health: HealthService;
  sessions: SessionService;
}

export function createServices(deps: AppDeps): Services {
  const artworks = new ArtworkRepository(deps.db);
  const clicks = new ClickRepository(deps.db);
  const artifacts = new ArtifactStore(deps.bucket, deps.vectorModule, deps.logger, deps.options?.artifactPointerTtlMs);
  return {
    artifacts,
    catalog: new CatalogService(artworks),
    search: new SearchService(artworks),
    similar: new SimilarService(artworks, artifacts),
    clickOut: new ClickOutService(artworks, clicks),
    images: new ImageService(deps.bucket),
    health: new HealthService(deps.runtime, artworks, artifacts),
    sessions: new SessionService(new SessionRepository(deps.db)),
  };
}
