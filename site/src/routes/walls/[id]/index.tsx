// One wall: the canvas at real sizes with rulers, drag (or type) positions, frame colours,
// the total price, a share link, and a buy list.
import { component$ } from "@builder.io/qwik";
import { Form, routeAction$, routeLoader$, z, zod$, type DocumentHead } from "@builder.io/qwik-city";
import { Notice } from "../../../components/notice.tsx";
import { Pending } from "../../../components/pending.tsx";
import { WALL_DRAG_SCRIPT, WallCanvas } from "../../../components/wall-canvas.tsx";
import { apiGet, apiSend, isMissingEndpoint, markPrivate } from "../../../lib/api.ts";
import { ENDPOINTS, readWall } from "../../../lib/contract.ts";
import { formatPrice, formatTotals } from "../../../lib/format.ts";
import { FRAMES } from "../../../lib/frames.ts";

const wallPath = (id: string) => `${ENDPOINTS.walls}/${encodeURIComponent(id)}`;

export const useWall = routeLoader$(async (ev) => {
  markPrivate(ev);
  const r = await apiGet<unknown>(ev, wallPath(ev.params.id ?? ""));
  if (!r.ok) {
    if (!isMissingEndpoint(r)) ev.status(r.status === 404 || r.status === 403 ? 404 : r.status);
    return { pending: isMissingEndpoint(r), message: r.message, wall: null };
  }
  const wall = readWall(r.data);
  if (!wall) ev.status(404);
  return { pending: false, message: "", wall };
});

export const useMove = routeAction$(
  async (d, ev) => {
    const r = await apiSend<unknown>(ev, "PATCH", `${wallPath(ev.params.id ?? "")}/items/${encodeURIComponent(d.itemId)}`, { xCm: d.x, yCm: d.y, ...(d.frame ? { frameColor: d.frame } : {}) });
    return r.ok ? { ok: true, message: "Saved." } : ev.fail(r.status, { message: r.message });
  },
  zod$({ itemId: z.string().max(80), x: z.coerce.number().min(0).max(10000), y: z.coerce.number().min(0).max(10000), frame: z.string().max(20).optional() }),
);

export const useRemove = routeAction$(
  async (d, ev) => {
    const r = await apiSend<unknown>(ev, "DELETE", `${wallPath(ev.params.id ?? "")}/items/${encodeURIComponent(d.itemId)}`);
    return r.ok ? { ok: true, message: "Removed." } : ev.fail(r.status, { message: r.message });
  },
  zod$({ itemId: z.string().max(80) }),
);

export const useShare = routeAction$(
  async (d, ev) => {
    const r = await apiSend<unknown>(ev, d.revoke ? "DELETE" : "POST", `${wallPath(ev.params.id ?? "")}/share`);
    return r.ok ? { ok: true, message: d.revoke ? "The link no longer works." : "Share link ready." } : ev.fail(r.status, { message: r.message });
  },
  zod$({ revoke: z.string().optional() }),
);

export default component$(() => {
  const { pending, message, wall } = useWall().value;
  const move = useMove();
  const remove = useRemove();
  const share = useShare();
  if (pending) return <Pending title="Walls" feature="walls" />;
  if (!wall) {
    return (
      <Notice title="We couldn't find that wall" testid="wall-missing">
        <p>{message || "It may have been deleted."}</p>
      </Notice>
    );
  }
  const total = formatTotals(wall.totals, wall.unpriced);
  return (
    <section class="wall-page" data-testid="wall-page" data-wall-id={wall.id}>
      <h1>{wall.name}</h1>
      <p class="wall-summary">
        <span data-testid="wall-count">
          {wall.items.length} {wall.items.length === 1 ? "work" : "works"}
        </span>
        {total && (
          <>
            {" · total "}
            <strong data-testid="wall-total">{total}</strong>
          </>
        )}
        {" · "}
        {wall.widthCm} × {wall.heightCm} cm wall
      </p>
      <WallCanvas wall={wall} editable />
      <p id="wall-save" class="muted small" role="status" aria-live="polite">
        {wall.items.length ? "Drag a work, or focus it and use the arrow keys, to move it. Or type a position below." : "Add works from any work's page with “Add to my wall”."}
      </p>
      {(move.value?.failed || remove.value?.failed) && <p role="alert" class="warn">{(move.value as { message?: string })?.message ?? (remove.value as { message?: string })?.message}</p>}

      <section aria-labelledby="share-heading" class="share">
        <h2 id="share-heading">Share</h2>
        {wall.shareId ? (
          <>
            <p>
              Anyone with this link can see the wall (not change it):{" "}
              <a href={`/shared/${encodeURIComponent(wall.shareId)}`} data-testid="share-link">
                /shared/{wall.shareId}
              </a>
            </p>
            <Form reloadDocument action={share}>
              <input type="hidden" name="revoke" value="1" />
              <button type="submit" data-testid="share-revoke">
                Stop sharing
              </button>
            </Form>
          </>
        ) : (
          <Form reloadDocument action={share}>
            <button type="submit" data-testid="share-create">
              Create a share link
            </button>
          </Form>
        )}
        {share.value?.failed && <p role="alert" class="warn">{(share.value as { message?: string }).message}</p>}
      </section>

      {wall.items.length > 0 && (
        <section aria-labelledby="items-heading">
          <h2 id="items-heading">Works on this wall</h2>
          <ul class="wall-items">
            {wall.items.map((it) => (
              <li key={it.id} data-testid="wall-row">
                <div>
                  {it.art ? <a href={`/art/${it.artId}`}>{it.art.title}</a> : `Work ${it.artId}`}
                  <span class="muted small">
                    {" "}
                    {it.size ?? ""} · {it.widthCm} × {it.heightCm} cm
                    {it.priceCents !== null && <> · {formatPrice(it.priceCents, it.currency)}</>}
                  </span>
                </div>
                <Form reloadDocument action={move} class="move-form" data-move={it.id}>
                  <input type="hidden" name="itemId" value={it.id} />
                  <label>
                    x (cm) <input type="number" name="x" min="0" max={wall.widthCm} value={Math.round(it.x)} />
                  </label>
                  <label>
                    y (cm) <input type="number" name="y" min="0" max={wall.heightCm} value={Math.round(it.y)} />
                  </label>
                  <label>
                    Frame{" "}
                    <select name="frame">
                      {FRAMES.map((f) => (
                        <option key={f.id} value={f.id} selected={f.id === it.frame}>
                          {f.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button type="submit" class="small">
                    Save
                  </button>
                </Form>
                <div class="row-actions">
                  <a href={`/go/${it.artId}${it.size ? `?size=${encodeURIComponent(it.size)}` : ""}`} rel="sponsored nofollow" class="small">
                    Buy
                  </a>
                  <Form reloadDocument action={remove}>
                    <input type="hidden" name="itemId" value={it.id} />
                    <button type="submit" class="small">
                      Remove
                    </button>
                  </Form>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      <script dangerouslySetInnerHTML={WALL_DRAG_SCRIPT} />
    </section>
  );
});

export const head: DocumentHead = ({ resolveValue }) => {
  const { wall } = resolveValue(useWall);
  return { title: wall ? wall.name : "Wall", meta: [{ name: "robots", content: "noindex" }] };
};
