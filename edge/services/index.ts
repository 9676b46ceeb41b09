// Builds every service from the injected dependencies (one set per app instance / isolate).
import type { AppDeps } from "../deps.ts";
import { ArtworkRepository } from "../repositories/artworks.ts";
import { ClickRepository } from "../repositories/clicks.ts";
import { SessionRepository } from "../repositories/session.ts";
import { ActionRepository } from "../repositories/action.ts";
import { UserRepository } from "../repositories/user.ts";
import { WallRepository } from "../repositories/wall.ts";
import { ClickHistoryRepository } from "../repositories/clicks.ts";
import { ActionService } from "./action.ts";
import { AuthService } from "./auth.ts";
import { ExportService } from "./export.ts";
import { PasswordHasher } from "./password.ts";
import { WallService } from "./wall.ts";
import { ArtifactStore } from "./artifact-store.ts";
import { createReadServices, type ReadServices } from "./artwork-reads.ts";
import { CatalogService } from "./catalog.ts";
import { ClickOutService } from "./click-out.ts";
import { HealthService } from "./health.ts";
import { ImageService } from "./images.ts";
import { SessionService } from "./session.ts";

export interface Services {
  artifacts: ArtifactStore;
  catalog: CatalogService;
  /** Read side of issue 6: feeds, search, detail, similar, tags, clusters, vibes, map, upload. */
  reads: ReadServices;
  clickOut: ClickOutService;
  images: ImageService;
  health: HealthService;
  sessions: SessionService;
  auth: AuthService;
  actions: ActionService;
  walls: WallService;
  exports: ExportService;
}

export function createServices(deps: AppDeps): Services {
  const artworks = new ArtworkRepository(deps.db);
  const clicks = new ClickRepository(deps.db);
  const artifacts = new ArtifactStore(deps.bucket, deps.vectorModule, deps.logger, deps.options?.artifactPointerTtlMs);
  return {
    artifacts,
    catalog: new CatalogService(artworks),
    reads: createReadServices(deps, artifacts),
    clickOut: new ClickOutService(artworks, clicks),
    images: new ImageService(deps.bucket),
    health: new HealthService(deps.runtime, artworks, artifacts, () => (deps.options?.rateLimitStore ? (deps.options.rateLimitStore.kind ?? "custom") : "memory")),
    ...writeServices(deps, artworks),
  };
}

/** Session, account and write-side services (sessions, accounts, actions, walls, export). */
function writeServices(deps: AppDeps, artworks: ArtworkRepository) {
  const sessions = new SessionService(new SessionRepository(deps.db));
  const actionRepo = new ActionRepository(deps.db);
  const wallRepo = new WallRepository(deps.db);
  const users = new UserRepository(deps.db);
  const walls = new WallService(wallRepo, artworks, sessions);
  return {
    sessions,
    auth: new AuthService(users, sessions, actionRepo, wallRepo, new PasswordHasher(), deps.logger),
    actions: new ActionService(actionRepo, artworks, sessions),
    walls,
    exports: new ExportService(users, sessions, actionRepo, wallRepo, walls, new ClickHistoryRepository(deps.db)),
  };
}
