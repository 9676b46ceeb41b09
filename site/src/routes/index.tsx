import { component$ } from "@builder.io/qwik";
import { routeLoader$, type DocumentHead } from "@builder.io/qwik-city";
import type { FeedResponse } from "../../../common/api.ts";
import { ArtGrid } from "../components/art-grid.tsx";
import { Notice } from "../components/notice.tsx";
import { apiGet, apiPath, failWith } from "../lib/api.ts";
import { EXAMPLE_SEARCHES, searchHref } from "../lib/examples.ts";

const FEED_PAGE_SIZE = 24;

export const useFeed = routeLoader$(async (ev) => {
  const cursor = ev.url.searchParams.get("cursor");
  const result = await apiGet<FeedResponse>(ev, apiPath("/api/feed", { cursor, limit: FEED_PAGE_SIZE }));
  if (!result.ok) failWith(ev, result.status >= 500 ? 502 : 400);
  return { cursor, result };
});

export default component$(() => {
  const feed = useFeed();
  const { cursor, result } = feed.value;
  if (!result.ok) {
    return (
      <Notice title={cursor ? "That page of the feed has expired" : "The gallery is resting"} testid="feed-error">
        <p>{result.message}</p>
      </Notice>
    );
  }
  const { items, next } = result.data;
  return (
    <>
      <section class="intro">
        <h1>{cursor ? "More art" : "Discover art you love"}</h1>
        {!cursor && (
          <p class="muted">
            Prints from independent shops, picked by how they look. Try{" "}
            {EXAMPLE_SEARCHES.slice(0, 4).map((q, i) => (
              <span key={q}>
                {i > 0 && ", "}
                <a href={searchHref(q)}>{q}</a>
              </span>
            ))}
            .
          </p>
        )}
      </section>
      {items.length ? (
        <ArtGrid items={items} testid="feed-grid" label="Artworks" eagerCount={cursor ? 0 : 4} />
      ) : (
        <p class="muted" data-testid="feed-empty">
          No art here yet. Run the crawler to fill the catalogue.
        </p>
      )}
      <nav class="pager" aria-label="Feed pages">
        {cursor && <a href="/">Back to the start</a>}
        {next && (
          <a href={`/?${new URLSearchParams({ cursor: next }).toString()}`} rel="next" class="button" data-testid="more-link">
            More art
          </a>
        )}
      </nav>
    </>
  );
});

export const head: DocumentHead = ({ url }) => ({
  title: url.searchParams.has("cursor") ? "More art" : "",
  meta: [
    { name: "description", content: "Art Snob: discover prints you love from independent shops, by look and by word." },
    // Later feed pages are for browsing, not for search engines.
    ...(url.searchParams.has("cursor") ? [{ name: "robots", content: "noindex, follow" }] : []),
  ],
});
