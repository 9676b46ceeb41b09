// Affiliate click-outs: record the click, then redirect to the work's STORED affiliate URL only.
// Nothing from the request ever becomes part of the target except a size that matches a stored size.
import type { PrintSize } from "../../common/domain.ts";
import { badRequest, notFound } from "../errors.ts";
import type { ArtworkRepository } from "../repositories/artworks.ts";
import type { ClickRepository } from "../repositories/clicks.ts";

export class ClickOutService {
  constructor(
    private readonly artworks: ArtworkRepository,
    private readonly clicks: ClickRepository,
  ) {}

  async clickOut(id: number, size: string | undefined, sessionId: string | null): Promise<string> {
    const work = await this.artworks.findById(id);
    if (!work || work.status !== "active") throw notFound("artwork_not_found", `no artwork with id ${id}`);
    let chosen: PrintSize | undefined;
    if (size !== undefined) {
      chosen = (work.sizes ?? []).find((s) => s.label === size || (s.key !== undefined && s.key === size));
      if (!chosen) throw badRequest("unknown_size", `artwork ${id} has no size ${JSON.stringify(size.slice(0, 80))}`);
    }
    const target = resolveTarget(work.affiliateUrl ?? work.canonicalUrl, chosen);
    if (!target) throw notFound("no_offer", `artwork ${id} has no shop link`);
    await this.clicks.record({ artworkId: id, sizeLabel: chosen?.label ?? null, sessionId, targetUrl: target });
    return target;
  }
}

/** Stored URL, with a `{size}` placeholder filled from the stored size; only absolute http(s) URLs. */
export function resolveTarget(stored: string, size: PrintSize | undefined): string | null {
  const filled = stored.replace(/\{size\}/g, size ? encodeURIComponent(size.key ?? size.label) : "");
  try {
    const url = new URL(filled);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}
