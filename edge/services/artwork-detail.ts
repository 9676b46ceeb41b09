// /api/art/:id: the stored detail plus display tags, the work's cluster, and the offers of every shop
// that sells it (the work's own listing and its duplicate listings, linked by the crawler).
import type { ArtworkDetailResponse, Offer } from "../../common/api-reads.ts";
import { notFound } from "../errors.ts";
import type { ArtworkRepository } from "../repositories/artworks.ts";
import type { ArtworkModelStore } from "./artwork-model-store.ts";
import type { SnapshotWork } from "./artwork-snapshot.ts";
import { buyPath, toDetail } from "./views.ts";

function offerOf(w: SnapshotWork): Offer {
  return { artworkId: w.id, shop: w.row.shopName, sizes: w.row.sizes ?? [], fromPriceCents: w.row.minPriceCents ?? null, currency: w.row.currency ?? null, buyUrl: buyPath(w.id) };
}

export class ArtworkDetailService {
  constructor(
    private readonly artworks: ArtworkRepository,
    private readonly models: ArtworkModelStore,
  ) {}

  /**
   * A duplicate listing's id answers with its primary work's detail (the returned `id` is the
   * primary's: clients treat it as the canonical id); the listing itself is one of the offers.
   */
  async detail(requestedId: number): Promise<ArtworkDetailResponse> {
    const model = await this.models.current();
    const id = model.snapshot.works.get(requestedId)?.duplicateOf ?? requestedId;
    const row = await this.artworks.findById(id);
    if (!row || row.status !== "active") throw notFound("artwork_not_found", `no artwork with id ${requestedId}`);
    const detail = toDetail(row);
    const primaryId = id;
    const primary = model.snapshot.works.get(primaryId);
    const clusterId = model.clusterOf.get(primaryId);
    const offers: Offer[] = [];
    for (const oid of [primaryId, ...(model.snapshot.offers.get(primaryId) ?? [])]) {
      const w = model.snapshot.works.get(oid);
      if (w) offers.push(offerOf(w));
    }
    if (offers.length === 0) offers.push({ artworkId: id, shop: detail.shop, sizes: detail.sizes, fromPriceCents: detail.fromPriceCents, currency: detail.currency, buyUrl: detail.buyUrl });
    return {
      ...detail,
      displayTags: primary ? model.displayTags(primary) : detail.tags.slice(0, 5),
      cluster: clusterId === undefined ? null : { id: clusterId, label: model.clusters[clusterId]!.label },
      offers,
    };
  }
}
