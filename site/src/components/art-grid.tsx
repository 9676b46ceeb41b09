import { component$ } from "@builder.io/qwik";
import type { ArtworkSummary } from "../../../common/domain.ts";
import { ArtCard } from "./art-card.tsx";

interface Props {
  items: Array<ArtworkSummary & { reason?: string | null }>;
  /** Element id, so the endless-list script can append the next page's cards. */
  id?: string;
  testid: string;
  label: string;
  /** How many leading cards load eagerly. */
  eagerCount?: number;
}

export const ArtGrid = component$<Props>(({ items, testid, label, eagerCount = 0, id }) => {
  return (
    <ul class="grid" id={id} data-testid={testid} aria-label={label}>
      {items.map((art, i) => (
        <ArtCard key={art.id} art={art} eager={i < eagerCount} />
      ))}
    </ul>
  );
});
