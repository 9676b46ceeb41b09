import { component$ } from "@builder.io/qwik";
import { routeLoader$, type DocumentHead } from "@builder.io/qwik-city";
import type { SearchResponse } from "../../../../common/api.ts";
import { ArtGrid } from "../../components/art-grid.tsx";
import { EndlessScript } from "../../components/endless.tsx";
import { Notice } from "../../components/notice.tsx";
import { SearchFiltersForm } from "../../components/search-filters.tsx";
import { apiGet, apiPath, failWith, type ApiResult } from "../../lib/api.ts";
import { EXAMPLE_SEARCHES, searchHref } from "../../lib/examples.ts";
import { activeFilterCount, filterApiParams, readFilters, searchUrl } from "../../lib/filters.ts";

const SEARCH_PAGE_SIZE = 24;

export const useSearch = routeLoader$(async (ev) => {
  const q = (ev.url.searchParams.get("q") ?? "").trim();
  const cursor = ev.url.searchParams.get("cursor");
  const filters = readFilters(ev.url.searchParams);
  // An empty box is a prompt, not an API error.
  if (!q) return { q, cursor, filters, result: null as ApiResult<SearchResponse> | null };
  const result = await apiGet<SearchResponse>(ev, apiPath("/api/search", { q, cursor, limit: SEARCH_PAGE_SIZE, ...filterApiParams(filters) }));
  if (!result.ok) failWith(ev, result.status >= 500 ? 502 : 400);
  return { q, cursor, filters, result };
});

export default component$(() => {
  const { q, cursor, filters, result } = useSearch().value;
  if (!result) {
    return (
      <section class="intro" data-testid="search-empty">
        <h1>Search art</h1>
        <p class="muted">Type a subject, a style or an artist in the box above, or start with one of these:</p>
        <ul class="chips">
          {EXAMPLE_SEARCHES.map((s) => (
            <li key={s}>
              <a href={searchHref(s)}>{s}</a>
            </li>
          ))}
        </ul>
      </section>
    );
  }
  if (!result.ok) {
    return (
      <Notice title="That search didn't work" testid="search-error">
        <p>{result.message}</p>
      </Notice>
    );
  }
  const { items, next, total } = result.data;
  const nextHref = next ? searchUrl(q, filters, next) : null;
  return (
    <>
      <section class="intro">
        <h1>
          Results for “<span data-testid="search-query">{q}</span>”
        </h1>
        <p class="muted" data-testid="search-total">
          {total} {total === 1 ? "work" : "works"}
          {activeFilterCount(filters) > 0 && " matching your filters"}
        </p>
      </section>
      <SearchFiltersForm q={q} filters={filters} />
      {items.length ? (
        <ArtGrid items={items} id="results" testid="search-results" label={`Results for ${q}`} eagerCount={cursor ? 0 : 4} />
      ) : (
        <Notice title={`No works found for “${q}”`} testid="search-no-results">
          <p>{activeFilterCount(filters) ? "Try removing a filter." : "Try a shorter or more general word."}</p>
        </Notice>
      )}
      <nav class="pager" aria-label="Result pages">
        {cursor && <a href={searchUrl(q, filters)}>First results</a>}
        {nextHref && (
          <a href={nextHref} rel="next" class="button" data-testid="more-link" data-endless="results">
            More results
          </a>
        )}
      </nav>
      {nextHref && <EndlessScript />}
    </>
  );
});

export const head: DocumentHead = ({ resolveValue, url }) => {
  const { q } = resolveValue(useSearch);
  return {
    title: q ? `Search: ${q}` : "Search",
    meta: [
      { name: "description", content: q ? `Art prints matching “${q}” on Art Snob.` : "Search art prints on Art Snob." },
      ...(url.searchParams.has("cursor") || url.searchParams.size > 1 ? [{ name: "robots", content: "noindex, follow" }] : []),
    ],
    links: [{ rel: "canonical", href: q ? `${url.origin}${searchHref(q)}` : `${url.origin}/search` }],
  };
};
