import { component$ } from "@builder.io/qwik";
import type { ArtworkSummary } from "../../../common/domain.ts";
import { ArtCard } from "./art-card.tsx";

interface Props {
  title: string;
  items: ArtworkSummary[];
  href?: string;
  subtitle?: string | null;
  testid?: string;
  /** Leading cards that load eagerly (the first row holds the page's largest paint). */
  eagerCount?: number;
}

/** A titled horizontal row of works (vibes, tags) that scrolls sideways on phones. */
export const ArtRow = component$<Props>(({ title, items, href, subtitle, testid = "art-row", eagerCount = 0 }) => {
  const id = `row-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section class="row" aria-labelledby={id} data-testid={testid}>
      <div class="row-head">
        <h2 id={id}>{title}</h2>
        {href && (
          <a href={href} class="row-more">
            See all<span class="visually-hidden"> {title}</span>
          </a>
        )}
      </div>
      {subtitle && <p class="muted row-sub">{subtitle}</p>}
      <ul class="row-list">
        {items.map((art, i) => (
          <ArtCard key={art.id} art={art} eager={i < eagerCount} />
        ))}
      </ul>
    </section>
  );
});
