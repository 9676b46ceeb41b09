import { component$ } from "@builder.io/qwik";
import { Form, routeAction$, routeLoader$, z, zod$, type DocumentHead } from "@builder.io/qwik-city";
import type { SimilarResponse } from "../../../../../common/api.ts";
import type { ArtworkDetailResponse } from "../../../../../common/api-reads.ts";
import { ArtGrid } from "../../../components/art-grid.tsx";
import { ArtImage } from "../../../components/art-image.tsx";
import { nextFreeSpot } from "../../../components/wall-canvas.tsx";
import { Notice } from "../../../components/notice.tsx";
import { recordAction } from "../../../lib/actions.ts";
import { apiGet, apiPath, apiSend, failWith, isMissingEndpoint, markPrivate } from "../../../lib/api.ts";
import { ENDPOINTS, readLikes, readWall, readWalls } from "../../../lib/contract.ts";
import { buyUrlForSize, formatDimensions, formatPrice } from "../../../lib/format.ts";
import { frameOf, FRAMES } from "../../../lib/frames.ts";
import { largestImage } from "../../../lib/images.ts";

const SIMILAR_LIMIT = 12;

/** The detail answer; the enrichment fields are optional so an older API still renders. */
type Detail = Omit<ArtworkDetailResponse, "displayTags" | "cluster" | "offers"> & Partial<Pick<ArtworkDetailResponse, "displayTags" | "cluster" | "offers">>;
type ArtPage =
  | { kind: "found"; art: Detail; similar: SimilarResponse["items"]; size: string; frame: string; opinion: "liked" | "disliked" | null }
  | { kind: "missing" }
  | { kind: "error"; message: string };

export const useArt = routeLoader$<ArtPage>(async (ev) => {
  const id = ev.params.id ?? "";
  // Only positive integer ids exist; anything else is a missing page, not an API call.
  if (!/^[1-9][0-9]{0,15}$/.test(id)) {
    ev.status(404);
    return { kind: "missing" };
  }
  const [art, similar, likes] = await Promise.all([
    apiGet<Detail>(ev, `/api/art/${id}`),
    apiGet<SimilarResponse>(ev, apiPath(`/api/art/${id}/similar`, { limit: SIMILAR_LIMIT })),
    // Only a returning visitor (with a cookie) can have an opinion; don't mint sessions for bots.
    ev.request.headers.has("cookie") ? apiGet<unknown>(ev, ENDPOINTS.likes) : Promise.resolve(null),
  ]);
  if (!art.ok) {
    if (art.status === 404 || art.status === 400) {
      ev.status(404);
      return { kind: "missing" };
    }
    failWith(ev, 502);
    return { kind: "error", message: art.message };
  }
  const sizes = art.data.sizes;
  const wanted = ev.url.searchParams.get("size");
  const size = sizes.find((s) => s.label === wanted)?.label ?? sizes[0]?.label ?? "";
  const frame = frameOf(ev.url.searchParams.get("frame")).id;
  // Similar works are a bonus: the page still renders when that query fails.
  let opinion: "liked" | "disliked" | null = null;
  if (likes?.ok) {
    const l = readLikes(likes.data);
    opinion = l.liked.includes(Number(id)) ? "liked" : l.disliked.includes(Number(id)) ? "disliked" : null;
    markPrivate(ev);
  }
  return { kind: "found", art: art.data, similar: similar.ok ? similar.data.items : [], size, frame, opinion };
});

export const useVote = routeAction$(
  async (data, ev) => recordAction(ev, data.kind, [Number(ev.params.id)]),
  zod$({ kind: z.enum(["like", "dislike"]) }),
);

/** Add this work to a wall (the visitor's first wall, created on demand) in the chosen size and frame. */
export const useAddToWall = routeAction$(
  async (data, ev) => {
    const walls = await apiGet<unknown>(ev, ENDPOINTS.walls);
    if (!walls.ok) return { ok: false, message: isMissingEndpoint(walls) ? "Walls are not available on this server yet." : walls.message };
    let wall = readWalls(walls.data)[0] ?? null;
    if (!wall) {
      const created = await apiSend<unknown>(ev, "POST", ENDPOINTS.walls, { name: "My wall" });
      wall = created.ok ? readWall(created.data) : null;
      if (!wall) return { ok: false, message: created.ok ? "The wall could not be created." : created.message };
    }
    if (!data.size) return { ok: false, message: "This work has no print size listed, so it can't go on a wall." };
    const art = await apiGet<Detail>(ev, `/api/art/${ev.params.id}`);
    const size = art.ok ? art.data.sizes.find((s) => s.label === data.size) : undefined;
    const r = await apiSend<unknown>(ev, "POST", `${ENDPOINTS.walls}/${encodeURIComponent(wall.id)}/items`, {
      artworkId: Number(ev.params.id),
      size: data.size,
      frameColor: frameOf(data.frame).id,
      ...nextFreeSpot(wall, size?.widthCm ?? 30),
    });
    if (!r.ok) return { ok: false, message: r.message };
    throw ev.redirect(303, `/walls/${encodeURIComponent(wall.id)}`);
  },
  zod$({ size: z.string().max(80).optional(), frame: z.string().max(20) }),
);

/** The detail image fills the column on phones and half the page on wide screens. */
const DETAIL_SIZES = "(min-width: 56rem) 50vw, 100vw";

/** The original's "recommended reason", from the work's cluster and the visitor's opinion of it. */
function whyText(art: Detail, opinion: "liked" | "disliked" | null): string {
  const label = art.cluster?.label;
  const kind = label ? `${label} art` : "work";
  if (opinion === "liked") return `You liked this ${kind}: your feed shows more like it.`;
  if (opinion === "disliked") return `You said this ${kind} is not for you: your feed shows less like it.`;
  return label ? `Shown for its look: it belongs with our ${label} art. Do you like it? Your feed will follow.` : "Do you like this work? Tell us and your feed will follow.";
}

export default component$(() => {
  const page = useArt().value;
  const vote = useVote();
  const addToWall = useAddToWall();
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
  const { art, similar, size, frame, opinion } = page;
  const fromPrice = formatPrice(art.fromPriceCents, art.currency);
  const chosen = art.sizes.find((s) => s.label === size);
  const large = largestImage(art.image);
  const tags = art.displayTags?.length ? art.displayTags : art.tags;
  const otherOffers = (art.offers ?? []).filter((o) => o.artworkId !== art.id);
  const buyHref = chosen ? buyUrlForSize(art.buyUrl, chosen.label) : art.buyUrl;
  return (
    <>
      <article class="detail" style={{ "--frame": frameOf(frame).color }} data-testid="art-detail" data-art-id={art.id}>
        <div>
          <figure class="detail-figure" data-testid="art-preview">
            <a href="#zoom" class="zoom-open" aria-label={`Zoom into ${art.title}`}>
              <ArtImage image={art.image} alt={art.title} sizes={DETAIL_SIZES} load="high" testid="art-image" />
            </a>
          </figure>
          {large && (
            <div id="zoom" class="zoom" role="dialog" aria-label={`${art.title}, zoomed`}>
              <a href="#" class="zoom-close button">
                Close zoom
              </a>
              <div class="zoom-scroll" tabIndex={0}>
                <img src={large} alt={art.title} loading="lazy" decoding="async" />
              </div>
            </div>
          )}
        </div>
        <div class="detail-info">
          <h1 data-testid="art-title">{art.title}</h1>
          <p class="byline" data-testid="art-artist">
            {art.artist ? <>by {art.artist}</> : "Artist unknown"}
          </p>
          <p class="muted" data-testid="art-shop">
            Sold by {art.shop}
            {fromPrice && <> · from {fromPrice}</>}
          </p>

          <section class="why" aria-label="Why this work" data-testid="why-recommended">
            <p data-testid="why-text">{whyText(art, opinion)}</p>
            <Form reloadDocument action={vote} class="vote">
              <button type="submit" name="kind" value="like" data-testid="like-button" aria-pressed={opinion === "liked"}>
                <span aria-hidden="true">♥</span> Like
              </button>
              <button type="submit" name="kind" value="dislike" data-testid="dislike-button" aria-pressed={opinion === "disliked"}>
                <span aria-hidden="true">✕</span> Not for me
              </button>
            </Form>
            {vote.value && (
              <p role="status" class={vote.value.ok ? "ok" : "warn"} data-testid="vote-status">
                {vote.value.message}
              </p>
            )}
          </section>

          {art.description && <p class="description">{art.description}</p>}

          {art.sizes.length > 0 && (
            <form method="get" class="picker" data-testid="size-picker">
              <fieldset>
                <legend>Size</legend>
                <table class="sizes" data-testid="sizes-table">
                  <caption class="visually-hidden">Sizes and prices</caption>
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
                    {art.sizes.map((s, i) => {
                      const dims = formatDimensions(s.widthCm, s.heightCm);
                      return (
                        <tr key={s.label} data-testid="size-row">
                          <th scope="row">
                            <label>
                              <input type="radio" name="size" value={s.label} checked={s.label === size} id={`size-${i}`} />{" "}
                              {s.label}
                              {dims && <span class="dims">{dims}</span>}
                            </label>
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
              </fieldset>
              <fieldset class="frames">
                <legend>Frame</legend>
                {FRAMES.map((f) => (
                  <label key={f.id} class="frame-option">
                    <input type="radio" name="frame" value={f.id} checked={f.id === frame} data-testid={`frame-${f.id}`} />
                    <span class="swatch" style={{ background: f.color }} aria-hidden="true" />
                    {f.name}
                  </label>
                ))}
              </fieldset>
              <button type="submit" class="picker-apply">
                Update choice
              </button>
            </form>
          )}

          <p>
            <a href={buyHref} rel="sponsored nofollow" class="button button-primary" data-testid="buy-link">
              Buy at {art.shop}
            </a>
          </p>
          <p class="muted small">
            {chosen && <>{chosen.label}{chosen.priceCents !== null && <>, {formatPrice(chosen.priceCents, chosen.currency)}</>}. </>}
            Affiliate link: the shop handles payment and delivery.
          </p>

          {otherOffers.length > 0 && (
            <section aria-labelledby="offers-heading" data-testid="offers">
              <h2 id="offers-heading" class="small-heading">Also sold by</h2>
              <ul class="offers">
                {otherOffers.map((o) => (
                  <li key={o.artworkId}>
                    <a href={o.buyUrl} rel="sponsored nofollow" data-testid="offer-link">
                      {o.shop}
                    </a>
                    {o.fromPriceCents !== null && <span class="muted"> from {formatPrice(o.fromPriceCents, o.currency)}</span>}
                  </li>
                ))}
              </ul>
            </section>
          )}

          <Form reloadDocument action={addToWall} class="add-wall">
            <input type="hidden" name="size" value={size} />
            <input type="hidden" name="frame" value={frame} />
            <button type="submit" data-testid="add-to-wall">
              Add to my wall
            </button>
          </Form>
          {addToWall.value && !addToWall.value.ok && (
            <p role="status" class="warn" data-testid="wall-status">
              {addToWall.value.message}
            </p>
          )}

          {tags.length > 0 && (
            <ul class="chips" aria-label="Tags" data-testid="art-tags">
              {tags.map((t) => (
                <li key={t}>
                  <a href={`/tags/${encodeURIComponent(t)}`}>{t}</a>
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
    links: [{ rel: "canonical", href: `${url.origin}/art/${art.id}` }],
  };
};
