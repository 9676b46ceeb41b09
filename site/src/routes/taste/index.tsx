// The taste finder: one cluster of look-alike works at a time (GET /api/feed/explore), with
// progress; 👍/👎 record likes/dislikes of the works shown, skip records a skip, and each answer
// marks that cluster seen. It ends in the personal feed (GET /api/feed/recommended).
import { component$ } from "@builder.io/qwik";
import { Form, routeAction$, routeLoader$, z, zod$, type DocumentHead } from "@builder.io/qwik-city";
import type { ExploreResponse } from "../../../../common/api-reads.ts";
import { ArtGrid } from "../../components/art-grid.tsx";
import { Pending } from "../../components/pending.tsx";
import { recordAction } from "../../lib/actions.ts";
import { apiGet, apiPath, isMissingEndpoint, markPrivate } from "../../lib/api.ts";
import { ENDPOINTS, readArtPage, readLikes, type Reasoned } from "../../lib/contract.ts";

const WORKS_PER_STEP = 4;
/** Liked works that make a feed "inspired" (the original: 5 liked clusters; here works, 4 a cluster). */
const LIKES_TO_FINISH = 12;

export const useTaste = routeLoader$(async (ev) => {
  markPrivate(ev);
  const [r, likes] = await Promise.all([apiGet<ExploreResponse>(ev, apiPath(ENDPOINTS.explore, { limit: WORKS_PER_STEP })), apiGet<unknown>(ev, ENDPOINTS.likes)]);
  if (!r.ok) return { pending: isMissingEndpoint(r), message: r.message, step: null, pct: 0, feed: null as Reasoned[] | null };
  const { liked, disliked } = likes.ok ? readLikes(likes.data) : { liked: [], disliked: [] };
  const pct = Math.min(100, Math.round((100 * liked.length) / LIKES_TO_FINISH + (3 * (liked.length + disliked.length)) / WORKS_PER_STEP));
  let feed: Reasoned[] | null = null;
  if (r.data.done || pct >= 100) {
    const f = await apiGet<unknown>(ev, apiPath(ENDPOINTS.recommended, { limit: 12 }));
    feed = f.ok ? readArtPage(f.data).items : [];
  }
  return { pending: false, message: "", step: r.data, pct, feed };
});

const ids = z
  .string()
  .regex(/^[1-9][0-9]{0,9}(,[1-9][0-9]{0,9}){0,7}$/)
  .transform((s) => s.split(",").map(Number));

export const useAnswer = routeAction$(
  async (data, ev) => recordAction(ev, data.kind, data.kind === "skip" ? data.ids.slice(0, 1) : data.ids),
  zod$({ kind: z.enum(["like", "dislike", "skip"]), ids }),
);

export default component$(() => {
  const { pending, message, step, pct, feed } = useTaste().value;
  const answer = useAnswer();
  if (pending) return <Pending title="Taste finder" feature="explore" />;
  if (!step) {
    return (
      <section class="notice" data-testid="taste-error">
        <h1>Taste finder</h1>
        <p>{message}</p>
      </section>
    );
  }
  return (
    <section class="taste" data-testid="taste">
      <h1>Taste finder</h1>
      <p class="muted">Tell us what you think of a few kinds of art. Your feed follows your answers; undo any of them in your <a href="/history">history</a>.</p>
      <div class="progress">
        <label for="taste-progress">{pct}% inspired</label>
        <progress id="taste-progress" max={100} value={pct} data-testid="taste-progress" />
      </div>
      {answer.value && !answer.value.ok && (
        <p role="alert" class="warn">
          {answer.value.message}
        </p>
      )}
      {feed && (
        <div data-testid="taste-done">
          <h2>Your personal feed</h2>
          <p>
            That's enough to go on. <a href="/">See your whole feed</a>
            {!step.done && ", or keep answering below to refine it"}.
          </p>
          <ArtGrid items={feed} testid="taste-feed" label="Your personal feed" />
        </div>
      )}
      {step.cluster && !step.done && (
        <div class="taste-step" data-testid="taste-step" data-cluster-id={String(step.cluster.id)}>
          <h2>
            What do you think of this <strong>{step.cluster.label}</strong> art?
          </h2>
          <p class="muted small">{step.remaining} more kinds to see after this one.</p>
          <ArtGrid items={step.items} testid="taste-works" label={`${step.cluster.label} art`} eagerCount={WORKS_PER_STEP} />
          <Form reloadDocument action={answer} class="vote vote-large">
            <input type="hidden" name="ids" value={step.items.map((a) => a.id).join(",")} />
            <button type="submit" name="kind" value="like" data-testid="taste-like">
              <span aria-hidden="true">♥</span> Like
            </button>
            <button type="submit" name="kind" value="skip" data-testid="taste-skip">
              Skip
            </button>
            <button type="submit" name="kind" value="dislike" data-testid="taste-dislike">
              <span aria-hidden="true">✕</span> Dislike
            </button>
          </Form>
        </div>
      )}
      {step.done && !feed?.length && (
        <p>
          You have seen every kind of art we have. <a href="/">Go to your feed</a>.
        </p>
      )}
    </section>
  );
});

export const head: DocumentHead = {
  title: "Taste finder",
  meta: [{ name: "description", content: "Find your taste in art in a few clicks, then get a personal feed." }],
};
