import { component$ } from "@builder.io/qwik";
import type { ArtworkSummary } from "../../../common/domain.ts";
import { formatPrice } from "../lib/format.ts";
import { imgAttrs } from "../lib/images.ts";

interface Props {
  art: ArtworkSummary;
  /** Above-the-fold cards load eagerly (they are the largest paint); the rest lazily. */
  eager?: boolean;
}

/** Grid sizes: 2 columns on phones, ~3 on tablets, fixed ~15rem tracks on wide screens. */
const CARD_SIZES = "(min-width: 64rem) 15rem, (min-width: 40rem) 33vw, 50vw";

export const ArtCard = component$<Props>(({ art, eager }) => {
  const img = imgAttrs(art.image);
  const price = formatPrice(art.fromPriceCents, art.currency);
  return (
    <li class="card">
      <a href={`/art/${art.id}`} class="card-link" data-testid="art-card" data-art-id={art.id}>
        <span class="card-frame">
          <img
            src={img.src}
            srcset={img.srcset}
            sizes={CARD_SIZES}
            width={img.width}
            height={img.height}
            alt={art.title}
            loading={eager ? "eager" : "lazy"}
            decoding="async"
          />
        </span>
        <span class="card-title">{art.title}</span>
        <span class="card-meta">
          {art.artist ?? "Unknown artist"}
          {price && <> · from {price}</>}
        </span>
      </a>
    </li>
  );
});
