// Works by id → summaries, for lists the API gives as ids (likes, history). One in-process detail
// read per distinct id, in parallel, capped; a work that is gone is simply left out.
import type { RequestEventBase } from "@builder.io/qwik-city";
import type { ArtworkSummary } from "../../../common/domain.ts";
import { apiGet } from "./api.ts";

export async function hydrate(ev: RequestEventBase, ids: number[], cap = 48): Promise<Map<number, ArtworkSummary>> {
  const unique = [...new Set(ids)].slice(0, cap);
  const found = await Promise.all(unique.map((id) => apiGet<ArtworkSummary>(ev, `/api/art/${id}`)));
  const out = new Map<number, ArtworkSummary>();
  found.forEach((r, i) => {
    if (r.ok) {
      const { id, title, artist, shop, orientation, fromPriceCents, currency, image } = r.data;
      out.set(unique[i]!, { id, title, artist, shop, orientation, fromPriceCents, currency, image });
    }
  });
  return out;
}
