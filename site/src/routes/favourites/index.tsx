import { component$ } from "@builder.io/qwik";
import { routeLoader$, type DocumentHead } from "@builder.io/qwik-city";
import type { ArtworkSummary } from "../../../../common/domain.ts";
import { ArtGrid } from "../../components/art-grid.tsx";
import { Pending } from "../../components/pending.tsx";
import { apiGet, isMissingEndpoint, markPrivate } from "../../lib/api.ts";
import { ENDPOINTS, readLikes } from "../../lib/contract.ts";
import { hydrate } from "../../lib/hydrate.ts";

const MAX_SHOWN = 96;

export const useLikes = routeLoader$(async (ev) => {
  markPrivate(ev);
  const r = await apiGet<unknown>(ev, ENDPOINTS.likes);
  if (!r.ok) return { pending: isMissingEndpoint(r), message: r.message, items: null as ArtworkSummary[] | null, total: 0 };
  // Newest likes first.
  const liked = readLikes(r.data).liked.slice().reverse();
  const arts = await hydrate(ev, liked, MAX_SHOWN);
  return { pending: false, message: "", items: liked.flatMap((id) => arts.get(id) ?? []), total: liked.length };
});

export default component$(() => {
  const { pending, message, items, total } = useLikes().value;
  if (pending) return <Pending title="Favourites" feature="likes" />;
  return (
    <section>
      <h1>Favourites</h1>
      {!items ? (
        <p class="warn">{message}</p>
      ) : items.length ? (
        <>
          <p class="muted" data-testid="favourites-count">
            {total} {total === 1 ? "work" : "works"} you liked{total > items.length && `, the newest ${items.length} shown`}.
          </p>
          <ArtGrid items={items} testid="favourites-grid" label="Your favourites" eagerCount={4} />
        </>
      ) : (
        <p class="muted" data-testid="favourites-empty">
          Nothing here yet. Press “Like” on any work you like and it will wait for you here. Start with the{" "}
          <a href="/taste">taste finder</a>.
        </p>
      )}
    </section>
  );
});

export const head: DocumentHead = { title: "Favourites", meta: [{ name: "robots", content: "noindex" }] };
