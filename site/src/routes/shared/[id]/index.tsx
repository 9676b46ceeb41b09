// A wall someone shared: read-only, public, with Open Graph tags so the link previews well.
import { component$ } from "@builder.io/qwik";
import { routeLoader$, type DocumentHead } from "@builder.io/qwik-city";
import { Notice } from "../../../components/notice.tsx";
import { Pending } from "../../../components/pending.tsx";
import { WallCanvas } from "../../../components/wall-canvas.tsx";
import { apiGet, isMissingEndpoint } from "../../../lib/api.ts";
import { ENDPOINTS, readWall } from "../../../lib/contract.ts";
import { formatPrice, formatTotals } from "../../../lib/format.ts";

export const useShared = routeLoader$(async (ev) => {
  const id = ev.params.id ?? "";
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
    ev.status(404);
    return { pending: false, wall: null };
  }
  const r = await apiGet<unknown>(ev, `${ENDPOINTS.shared}/${id}`);
  if (!r.ok) {
    if (!isMissingEndpoint(r)) ev.status(r.status >= 500 ? 502 : 404);
    return { pending: isMissingEndpoint(r), wall: null };
  }
  const wall = readWall(r.data);
  if (!wall) ev.status(404);
  return { pending: false, wall };
});

export default component$(() => {
  const { pending, wall } = useShared().value;
  if (pending) return <Pending title="Shared wall" feature="shared-walls" />;
  if (!wall) {
    return (
      <Notice title="This shared wall is not available" testid="shared-missing">
        <p>The link may have been revoked by its owner.</p>
      </Notice>
    );
  }
  const total = formatTotals(wall.totals, wall.unpriced);
  return (
    <section class="wall-page" data-testid="shared-wall">
      <h1>Shared: {wall.name}</h1>
      <p class="wall-summary">
        {wall.items.length} {wall.items.length === 1 ? "work" : "works"}
        {total && <> · total {total}</>} · {wall.widthCm} × {wall.heightCm} cm wall
      </p>
      <WallCanvas wall={wall} editable={false} />
      <ul class="wall-items">
        {wall.items.map((it) => (
          <li key={it.id}>
            {it.art ? <a href={`/art/${it.artId}`}>{it.art.title}</a> : `Work ${it.artId}`}
            <span class="muted small">
              {" "}
              {it.size ?? ""} {it.priceCents !== null && <>· {formatPrice(it.priceCents, it.currency)}</>}
            </span>
          </li>
        ))}
      </ul>
      <p>
        <a href="/taste" class="button">
          Make my own wall
        </a>
      </p>
    </section>
  );
});

export const head: DocumentHead = ({ resolveValue, url }) => {
  const { wall } = resolveValue(useShared);
  if (!wall) return { title: "Shared wall", meta: [{ name: "robots", content: "noindex" }] };
  const image = wall.items.find((i) => i.art?.image.url)?.art?.image.url;
  const description = `${wall.items.length} works planned on a ${wall.widthCm} × ${wall.heightCm} cm wall on Art Snob.`;
  return {
    title: `Shared wall: ${wall.name}`,
    meta: [
      { name: "description", content: description },
      { property: "og:type", content: "website" },
      { property: "og:description", content: description },
      ...(image ? [{ property: "og:image", content: new URL(image, url.origin).href }] : []),
      { property: "og:url", content: `${url.origin}${url.pathname}` },
    ],
  };
};
