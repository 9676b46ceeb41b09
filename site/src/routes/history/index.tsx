// Every action that shapes the visitor's recommendations, newest first, each with an undo.
import { component$ } from "@builder.io/qwik";
import { Form, routeAction$, routeLoader$, z, zod$, type DocumentHead } from "@builder.io/qwik-city";
import { ArtImage } from "../../components/art-image.tsx";
import { Pending } from "../../components/pending.tsx";
import type { ArtworkSummary } from "../../../../common/domain.ts";
import { undoAction } from "../../lib/actions.ts";
import { hydrate } from "../../lib/hydrate.ts";
import { apiGet, apiPath, isMissingEndpoint, markPrivate } from "../../lib/api.ts";
import { ENDPOINTS, readHistory } from "../../lib/contract.ts";

const LABELS: Record<string, string> = {
  like: "Liked",
  dislike: "Disliked",
  skip: "Skipped",
  view: "Viewed",
  click: "Visited the shop for",
  search: "Searched for",
  undo: "Undid an action",
};

export const useHistory = routeLoader$(async (ev) => {
  markPrivate(ev);
  const cursor = ev.url.searchParams.get("cursor");
  const r = await apiGet<unknown>(ev, apiPath(ENDPOINTS.history, { cursor, limit: 50 }));
  if (!r.ok) return { pending: isMissingEndpoint(r), message: r.message, page: null, arts: {} as Record<number, ArtworkSummary> };
  const page = readHistory(r.data);
  const arts = await hydrate(ev, page.items.flatMap((e) => (e.artworkId ? [e.artworkId] : [])));
  return { pending: false, message: "", page, arts: Object.fromEntries(arts) as Record<number, ArtworkSummary> };
});

export const useUndo = routeAction$(
  async (data, ev) => undoAction(ev, data.actionId),
  zod$({ actionId: z.coerce.number().int().min(1) }),
);

export default component$(() => {
  const { pending, message, page, arts } = useHistory().value;
  const undo = useUndo();
  if (pending) return <Pending title="History" feature="history" />;
  return (
    <section>
      <h1>History</h1>
      <p class="muted">Find or undo the actions that power your recommendations.</p>
      {undo.value && (
        <p role="status" class={undo.value.ok ? "ok" : "warn"} data-testid="undo-status">
          {undo.value.message}
        </p>
      )}
      {!page ? (
        <p class="warn">{message}</p>
      ) : page.items.length === 0 ? (
        <p class="muted" data-testid="history-empty">
          No actions yet. Like, dislike or search and they will show up here.
        </p>
      ) : (
        <ul class="history" data-testid="history-list">
          {page.items.map((e) => {
            const art = e.artworkId ? arts[e.artworkId] : undefined;
            return (
            <li key={e.id} class={e.undone ? "undone" : ""} data-testid="history-item" data-kind={e.kind}>
              {art ? (
                <a href={`/art/${art.id}`} class="history-thumb" tabIndex={-1} aria-hidden="true">
                  <ArtImage image={art.image} alt="" sizes="4rem" load="lazy" />
                </a>
              ) : (
                <span class="history-thumb" aria-hidden="true" />
              )}
              <span class="history-text">
                {LABELS[e.kind] ?? e.kind}{" "}
                {art ? <a href={`/art/${art.id}`}>{art.title}</a> : e.query ? <>“{e.query}”</> : e.artworkId ? <>work {e.artworkId}</> : null}
                {e.at && (
                  <time class="muted small" dateTime={e.at}>
                    {" "}
                    {e.at.slice(0, 16).replace("T", " ")}
                  </time>
                )}
              </span>
              {!e.undone && e.kind !== "undo" && (
                <Form reloadDocument action={undo}>
                  <input type="hidden" name="actionId" value={String(e.id)} />
                  <button type="submit" class="small" data-testid="undo-button">
                    Undo
                  </button>
                </Form>
              )}
              {e.undone && <span class="muted small">undone</span>}
            </li>
            );
          })}
        </ul>
      )}
    </section>
  );
});

export const head: DocumentHead = { title: "History", meta: [{ name: "robots", content: "noindex" }] };
