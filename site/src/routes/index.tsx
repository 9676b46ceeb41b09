import { component$ } from "@builder.io/qwik";
import { routeLoader$, type DocumentHead } from "@builder.io/qwik-city";
import type { FeedResponse } from "../../../common/api.ts";
import { ArtGrid } from "../components/art-grid.tsx";
import { ArtRow } from "../components/art-row.tsx";
import { EndlessScript } from "../components/endless.tsx";
import { Notice } from "../components/notice.tsx";
import { apiGet, apiPath, failWith, isMissingEndpoint, markPrivate } from "../lib/api.ts";
import type { Vibe, VibesResponse } from "../../../common/api-reads.ts";
import { ENDPOINTS, readArtPage } from "../lib/contract.ts";
import { EXAMPLE_SEARCHES, searchHref } from "../lib/examples.ts";

const FEED_PAGE_SIZE = 24;
const VIBE_ROWS = 4;

export const useHome = routeLoader$(async (ev) => {
  const cursor = ev.url.searchParams.get("cursor");
  // The personal feed (likes pull, dislikes push); the newest-first feed when it is not available.
  const [reco, vibes] = await Promise.all([
    apiGet<unknown>(ev, apiPath(ENDPOINTS.recommended, { cursor, limit: FEED_PAGE_SIZE })),
    cursor ? Promise.resolve(null) : apiGet<unknown>(ev, ENDPOINTS.vibes),
  ]);
  let personal = reco.ok && (reco.data as { mode?: string }).mode === "personal";
  const curated = reco.ok && !personal;
  let result = reco.ok ? { ok: true as const, data: readArtPage(reco.data) } : reco;
  if (!reco.ok && (isMissingEndpoint(reco) || reco.status >= 500)) {
    personal = false;
    const plain = await apiGet<FeedResponse>(ev, apiPath("/api/feed", { cursor, limit: FEED_PAGE_SIZE }));
    result = plain.ok ? { ok: true as const, data: readArtPage(plain.data) } : plain;
  }
  if (!result.ok) failWith(ev, result.status >= 500 ? 502 : 400);
  // The page depends on the visitor's session cookie: a personal feed is never shared through a cache,
  // and a cached cold page must not be reused once the visitor has a session.
  ev.headers.set("vary", "Cookie");
  if (personal) markPrivate(ev);
  const rows: Vibe[] = vibes && vibes.ok ? ((vibes.data as Partial<VibesResponse>).vibes ?? []).filter((v) => v.items.length > 0).slice(0, VIBE_ROWS) : [];
  return { cursor, personal, curated, result, rows };
});

export default component$(() => {
  const { cursor, personal, curated, result, rows } = useHome().value;
  if (!result.ok) {
    return (
      <Notice title={cursor ? "That page of the feed has expired" : "The gallery is resting"} testid="feed-error">
        <p>{result.message}</p>
      </Notice>
    );
  }
  const { items, next } = result.data;
  const nextHref = next ? `/?${new URLSearchParams({ cursor: next }).toString()}` : null;
  return (
    <>
      {!cursor && (
        <section class="hero">
          <h1>Discover art you love</h1>
          <p>
            Prints from independent shops, found by how they look. Tell the <a href="/taste">taste finder</a> what you
            like, or search:
          </p>
          <ul class="chips" aria-label="Example searches" data-testid="example-searches">
            {EXAMPLE_SEARCHES.map((q) => (
              <li key={q}>
                <a href={searchHref(q)}>{q}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {rows.map((v, i) => (
        <ArtRow key={v.id} title={v.name} subtitle={v.tagline} items={v.items} testid="vibe-row" eagerCount={i === 0 ? 4 : 0} />
      ))}
      <section aria-labelledby="feed-heading">
        <h2 id="feed-heading" class={cursor ? "" : "feed-heading"}>
          {cursor ? "More art" : personal ? "Picked for you" : curated ? "A mix to start with" : "Newest works"}
        </h2>
        {items.length ? (
          <ArtGrid items={items} id="feed" testid="feed-grid" label="Artworks" eagerCount={cursor || rows.length ? 0 : 4} />
        ) : (
          <p class="muted" data-testid="feed-empty">
            No art here yet. Run the crawler to fill the catalogue.
          </p>
        )}
      </section>
      <nav class="pager" aria-label="Feed pages">
        {cursor && <a href="/">Back to the start</a>}
        {nextHref && (
          <a href={nextHref} rel="next" class="button" data-testid="more-link" data-endless="feed">
            More art
          </a>
        )}
      </nav>
      {nextHref && <EndlessScript />}
    </>
  );
});

export const head: DocumentHead = ({ url }) => ({
  title: url.searchParams.has("cursor") ? "More art" : "",
  meta: [
    { name: "description", content: "Art Snob: discover prints you love from independent shops, by look and by word." },
    { property: "og:description", content: "Discover prints you love from independent shops, by look and by word." },
    // Later feed pages are for browsing, not for search engines.
    ...(url.searchParams.has("cursor") ? [{ name: "robots", content: "noindex, follow" }] : []),
  ],
});
