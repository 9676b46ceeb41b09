import { component$ } from "@builder.io/qwik";
import { Form, routeAction$, routeLoader$, z, zod$, type DocumentHead } from "@builder.io/qwik-city";
import { Pending } from "../../components/pending.tsx";
import { apiGet, apiSend, isMissingEndpoint, markPrivate } from "../../lib/api.ts";
import { ENDPOINTS, readWall, readWalls } from "../../lib/contract.ts";
import { formatTotals } from "../../lib/format.ts";

export const useWalls = routeLoader$(async (ev) => {
  markPrivate(ev);
  const r = await apiGet<unknown>(ev, ENDPOINTS.walls);
  if (!r.ok) return { pending: isMissingEndpoint(r), message: r.message, walls: null };
  return { pending: false, message: "", walls: readWalls(r.data) };
});

export const useCreateWall = routeAction$(
  async (data, ev) => {
    const r = await apiSend<unknown>(ev, "POST", ENDPOINTS.walls, { name: data.name });
    if (!r.ok) return ev.fail(r.status, { message: r.message });
    const wall = readWall(r.data);
    throw ev.redirect(303, wall ? `/walls/${encodeURIComponent(wall.id)}` : "/walls");
  },
  zod$({ name: z.string().trim().min(1).max(80) }),
);

export default component$(() => {
  const { pending, message, walls } = useWalls().value;
  const create = useCreateWall();
  if (pending) return <Pending title="Walls" feature="walls" />;
  return (
    <section>
      <h1>Walls</h1>
      <p class="muted">Plan a wall at real print sizes before you buy. Add works from any work's page.</p>
      {!walls ? (
        <p class="warn">{message}</p>
      ) : walls.length ? (
        <ul class="wall-list" data-testid="wall-list">
          {walls.map((w) => (
            <li key={w.id}>
              <a href={`/walls/${encodeURIComponent(w.id)}`} data-testid="wall-link">
                {w.name}
              </a>{" "}
              <span class="muted">
                {w.items.length} {w.items.length === 1 ? "work" : "works"}
                {formatTotals(w.totals, w.unpriced) && <> · {formatTotals(w.totals, w.unpriced)}</>}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted" data-testid="walls-empty">
          No walls yet.
        </p>
      )}
      <Form reloadDocument action={create} class="inline-form" data-testid="create-wall-form">
        <label for="wall-name">New wall</label>
        <input id="wall-name" name="name" required maxLength={80} placeholder="Living room" data-testid="wall-name" />
        <button type="submit" data-testid="create-wall">
          Create wall
        </button>
      </Form>
      {create.value?.failed && <p role="alert" class="warn">{(create.value as { message?: string }).message ?? "Check the name."}</p>}
    </section>
  );
});

export const head: DocumentHead = { title: "Walls", meta: [{ name: "robots", content: "noindex" }] };
