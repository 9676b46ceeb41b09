import { component$ } from "@builder.io/qwik";
import { routeLoader$, type DocumentHead } from "@builder.io/qwik-city";
import type { ArtworkResponse, SimilarResponse } from "../../../../../common/api.ts";
import { ArtGrid } from "../../../components/art-grid.tsx";
import { ArtImage } from "../../../components/art-image.tsx";
import { Notice } from "../../../components/notice.tsx";
import { apiGet, apiPath, failWith } from "../../../lib/api.ts";
import { searchHref } from "../../../lib/examples.ts";
import { buyUrlForSize, formatDimensions, formatPrice } from "../../../lib/format.ts";

const SIMILAR_LIMIT = 12;

type ArtPage =
  | { kind: "found"; art: ArtworkResponse; similar: SimilarResponse["items"] }
  | { kind: "missing" }
  | { kind: "error"; message: string };

export const useArt = routeLoader$<ArtPage>(async (ev) => {
  const id = ev.params.id ?? "";
  // Only positive integer ids exist; anything else is a missing page, not an API call.
  if (!/^[1-9][0-9]{0,15}$/.test(id)) {
    ev.status(404);
    return { kind: "missing" };
  }
  const [art, similar] = await Promise.all([
    apiGet<ArtworkResponse>(ev, `/api/art/${id}`),
    apiGet<SimilarResponse>(ev, apiPath(`/api/art/${id}/similar`, { limit: SIMILAR_LIMIT })),
  ]);
  if (!art.ok) {
    if (art.status === 404 || art.status === 400) {
      ev.status(404);
      return { kind: "missing" };
    }
    failWith(ev, 502);
    return { kind: "error", message: art.message };
  }
  // Similar works are a bonus: the page still renders when that query fails.
  return { kind: "found", art: art.data, similar: similar.ok ? similar.data.items : [] };
});

/** The detail image fills the column on phones and half the page on wide screens. */
const DETAIL_SIZES = "(min-width: 56rem) 50vw, 100vw";

export default component$(() => {
  const page = useArt().value;
  if (page.kind === "missing") {
    return (
      <Notice title="We couldn't find that work" testid="art-missing">
        <p>It may have sold out or been removed by its shop.</p>
      </Notice>
    );
  }
  if (page.kind === "error") {
    return (
      <Notice title="This work can't be shown right now" testid="art-error">
        <p>{page.message}</p>
      </Notice>
    );
  }
  const { art, similar } = page;
  const fromPrice = formatPrice(art.fromPriceCents, art.currency);
  return (
    <>
      <article class="detail" data-testid="art-detail" data-art-id={art.id}>
        <figure class="detail-figure">
          <ArtImage image={art.image} alt={art.title} sizes={DETAIL_SIZES} load="high" testid="art-image" />
        </figure>
        <div class="detail-info">
          <h1 data-testid="art-title">{art.title}</h1>
          <p class="byline" data-testid="art-artist">
            {art.artist ? <>by {art.artist}</> : "Artist unknown"}
          </p>
          <p class="muted" data-testid="art-shop">
            Sold by {art.shop}
            {fromPrice && <> · from {fromPrice}</>}
          </p>
          {art.description && <p class="description">{art.description}</p>}

          {art.sizes.length > 0 && (
            <table class="sizes" data-testid="sizes-table">
              <caption>Sizes and prices</caption>
              <thead>
                <tr>
                  <th scope="col">Size</th>
                  <th scope="col">Price</th>
                  <th scope="col">
                    <span class="visually-hidden">Buy</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {art.sizes.map((s) => {
                  const dims = formatDimensions(s.widthCm, s.heightCm);
                  return (
                    <tr key={s.label} data-testid="size-row">
                      <th scope="row">
                        {s.label}
                        {dims && <span class="dims">{dims}</span>}
                      </th>
                      <td>{formatPrice(s.priceCents, s.currency) ?? "See shop"}</td>
                      <td>
                        <a href={buyUrlForSize(art.buyUrl, s.label)} rel="sponsored nofollow" data-testid="buy-size-link">
                          Buy<span class="visually-hidden"> {s.label}</span>
                        </a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}

          <p>
            <a href={art.buyUrl} rel="sponsored nofollow" class="button button-primary" data-testid="buy-link">
              Buy at {art.shop}
            </a>
          </p>
          <p class="muted small">Affiliate link: the shop handles payment and delivery.</p>

          {art.tags.length > 0 && (
            <ul class="chips" aria-label="Tags" data-testid="art-tags">
              {art.tags.map((t) => (
                <li key={t}>
                  <a href={searchHref(t)}>{t}</a>
                </li>
              ))}
            </ul>
          )}
        </div>
      </article>

      {similar.length > 0 && (
        <section class="similar" aria-labelledby="similar-heading">
          <h2 id="similar-heading">Similar works</h2>
          <ArtGrid items={similar} testid="similar-grid" label="Similar works" />
        </section>
      )}
    </>
  );
});

export const head: DocumentHead = ({ resolveValue, url }) => {
  const page = resolveValue(useArt);
  if (page.kind !== "found") return { title: page.kind === "missing" ? "Work not found" : "Unavailable" };
  const { art } = page;
  const title = art.artist ? `${art.title} by ${art.artist}` : art.title;
  const description = art.description?.slice(0, 160) ?? `${title}, a print from ${art.shop} on Art Snob.`;
  return {
    title,
    meta: [
      { name: "description", content: description },
      { property: "og:type", content: "website" },
      { property: "og:description", content: description },
      ...(art.image.url ? [{ property: "og:image", content: new URL(art.image.url, url.origin).href }] : []),
      { property: "og:url", content: `${url.origin}/art/${art.id}` },
    ],
  };
};
