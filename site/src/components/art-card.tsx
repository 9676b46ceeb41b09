import { component$ } from "@builder.io/qwik";
import type { ArtworkSummary } from "../../../common/domain.ts";
import { formatPrice } from "../lib/format.ts";
import { ArtImage } from "./art-image.tsx";

interface Props {
  art: ArtworkSummary & { reason?: string | null };
  /** Above-the-fold cards load eagerly (they are the largest paint); the rest lazily. */
  eager?: boolean;
}

/** Grid sizes: 2 columns on phones, ~3 on tablets, fixed ~15rem tracks on wide screens. */
const CARD_SIZES = "(min-width: 64rem) 15rem, (min-width: 40rem) 33vw, 50vw";

export const ArtCard = component$<Props>(({ art, eager }) => {
  const price = formatPrice(art.fromPriceCents, art.currency);
  return (
    <li class="card">
      <a href={`/art/${art.id}`} class="card-link" data-testid="art-card" data-art-id={art.id} data-orientation={art.orientation ?? undefined}>
        <span class="card-frame">
          <ArtImage image={art.image} alt={art.title} sizes={CARD_SIZES} load={eager ? "eager" : "lazy"} />
        </span>
        <span class="card-title">{art.title}</span>
        <span class="card-meta">
          {art.artist ?? "Unknown artist"}
          {price && <> · from {price}</>}
        </span>
        {art.reason && (
          <span class="card-reason" data-testid="card-reason">
            {art.reason}
          </span>
        )}
      </a>
    </li>
  );
});
