// One tag (or several, comma separated): /api/tags/:tags; the text search for the tag until that lands.
import { component$ } from "@builder.io/qwik";
import { routeLoader$, type DocumentHead } from "@builder.io/qwik-city";
import type { SearchResponse } from "../../../../../common/api.ts";
import { ArtGrid } from "../../../components/art-grid.tsx";
import { EndlessScript } from "../../../components/endless.tsx";
import { Notice } from "../../../components/notice.tsx";
import { apiGet, apiPath, failWith, isMissingEndpoint } from "../../../lib/api.ts";
import { ENDPOINTS, readArtPage } from "../../../lib/contract.ts";

export const useTag = routeLoader$(async (ev) => {
  const tag = decodeURIComponent(ev.params.tag ?? "").trim().slice(0, 120);
  const cursor = ev.url.searchParams.get("cursor");
  let r = await apiGet<unknown>(ev, apiPath(`${ENDPOINTS.tags}/${encodeURIComponent(tag)}`, { cursor, limit: 24 }));
  if (isMissingEndpoint(r)) r = await apiGet<SearchResponse>(ev, apiPath("/api/search", { q: tag.replace(/,/g, " "), cursor, limit: 24 }));
  if (!r.ok) {
    failWith(ev, r.status >= 500 ? 502 : 404);
    return { tag, cursor, page: null, message: r.message };
  }
  const page = readArtPage(r.data);
  if (!page.items.length && !cursor) ev.status(404);
  return { tag, cursor, page, message: "" };
});

export default component$(() => {
  const { tag, cursor, page, message } = useTag().value;
  if (!page || !page.items.length) {
    return (
      <Notice title={`Nothing tagged “${tag}”`} testid="tag-empty">
        <p>{message || "No works carry this tag right now."}</p>
      </Notice>
    );
  }
  const nextHref = page.next ? `/tags/${encodeURIComponent(tag)}?${new URLSearchParams({ cursor: page.next })}` : null;
  return (
    <>
      <section class="intro">
        <h1 data-testid="tag-title">{tag} art</h1>
        <p class="muted">
          Works tagged {tag}. <a href={`/search?${new URLSearchParams({ q: tag })}`}>Search “{tag}” instead</a>
        </p>
      </section>
      <ArtGrid items={page.items} id="tagged" testid="tag-grid" label={`${tag} art`} eagerCount={cursor ? 0 : 4} />
      <nav class="pager" aria-label="Pages">
        {nextHref && (
          <a href={nextHref} rel="next" class="button" data-testid="more-link" data-endless="tagged">
            More {tag} art
          </a>
        )}
      </nav>
      {nextHref && <EndlessScript />}
    </>
  );
});

export const head: DocumentHead = ({ resolveValue }) => {
  const { tag } = resolveValue(useTag);
  return { title: `${tag} art`, meta: [{ name: "description", content: `Art prints tagged ${tag} on Art Snob.` }] };
};
