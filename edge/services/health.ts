// /api/health: database reachable, artifact set loaded (and the last refusal, if any).
import type { HealthResponse } from "../../common/api.ts";
import type { Runtime } from "../deps.ts";
import type { ArtworkRepository } from "../repositories/artworks.ts";
import type { ArtifactStore } from "./artifact-store.ts";

export type HealthReport = HealthResponse & { problems: string[] };

export class HealthService {
  constructor(
    private readonly runtime: Runtime,
    private readonly artworks: ArtworkRepository,
    private readonly artifacts: ArtifactStore,
    private readonly rateLimits: () => string,
  ) {}

  async check(): Promise<HealthReport> {
    const problems: string[] = [];
    let db: HealthResponse["db"] = "ok";
    try {
      await this.artworks.ping();
    } catch {
      db = "error";
      problems.push("database unreachable");
    }
    const { loaded, error } = await this.artifacts.status();
    if (error) problems.push(`artifacts: ${error}`);
    if (!loaded && !error) problems.push("artifacts: nothing published yet");
    const m = loaded?.manifest;
    return {
      status: problems.length === 0 ? "ok" : "degraded",
      runtime: this.runtime,
      db,
      artifacts: m ? { version: m.version, count: m.count, dim: m.dim, embedder: `${m.embedder.kind}:${m.embedder.id}` } : null,
      rateLimits: this.rateLimits(),
      problems,
    };
  }
}
