// Account: sign up, sign in (the anonymous session's likes, walls and history merge in), sign out,
// export everything as JSON, delete everything. Plain forms: all of it works without JavaScript.
import { component$ } from "@builder.io/qwik";
import { Form, routeAction$, routeLoader$, z, zod$, type DocumentHead } from "@builder.io/qwik-city";
import { Pending } from "../../components/pending.tsx";
import { apiGet, apiSend, isMissingEndpoint, markPrivate } from "../../lib/api.ts";
import { ENDPOINTS, readLikes, readSession } from "../../lib/contract.ts";

export const useMe = routeLoader$(async (ev) => {
  markPrivate(ev);
  const [r, likes] = await Promise.all([apiGet<unknown>(ev, ENDPOINTS.session), apiGet<unknown>(ev, ENDPOINTS.likes)]);
  if (!r.ok) return { pending: isMissingEndpoint(r), message: r.message, me: null };
  return { pending: false, message: "", me: { ...readSession(r.data), likes: likes.ok ? readLikes(likes.data).liked.length : 0 } };
});

const Credentials = zod$({
  email: z.string().trim().email("Enter a valid email address.").max(254),
  password: z.string().min(8, "Use at least 8 characters.").max(256),
  merge: z.string().optional(),
});

export const useSignUp = routeAction$(async (data, ev) => {
  const r = await apiSend<unknown>(ev, "POST", ENDPOINTS.signUp, { email: data.email, password: data.password });
  if (!r.ok) return ev.fail(r.status, { message: isMissingEndpoint(r) ? "Accounts are not available on this server yet." : r.message });
  throw ev.redirect(303, "/account?welcome=1");
}, Credentials);

export const useSignIn = routeAction$(async (data, ev) => {
  const r = await apiSend<unknown>(ev, "POST", ENDPOINTS.signIn, { email: data.email, password: data.password });
  if (!r.ok) return ev.fail(r.status, { message: isMissingEndpoint(r) ? "Accounts are not available on this server yet." : r.message });
  throw ev.redirect(303, "/account");
}, Credentials);

export const useSignOut = routeAction$(async (_d, ev) => {
  const r = await apiSend<unknown>(ev, "POST", ENDPOINTS.signOut);
  if (!r.ok) return ev.fail(r.status, { message: r.message });
  throw ev.redirect(303, "/account");
});

export const useDelete = routeAction$(
  async (_d, ev) => {
    const r = await apiSend<unknown>(ev, "DELETE", ENDPOINTS.account);
    if (!r.ok) return ev.fail(r.status, { message: r.message });
    throw ev.redirect(303, "/account?deleted=1");
  },
  zod$({ confirm: z.literal("on", { message: "Tick the box to confirm." }) }),
);

export default component$(() => {
  const { pending, message, me } = useMe().value;
  const signUp = useSignUp();
  const signIn = useSignIn();
  const signOut = useSignOut();
  const del = useDelete();
  if (pending) return <Pending title="Account" feature="accounts" />;
  const errorOf = (a: { value?: { message?: string; fieldErrors?: Record<string, string | string[] | undefined> } }) => {
    const v = a.value;
    if (!v) return null;
    const fe = v.fieldErrors ? Object.values(v.fieldErrors).flat().filter(Boolean).join(" ") : "";
    return v.message ?? (fe || null);
  };
  return (
    <section class="account" data-testid="account">
      <h1>Account</h1>
      {!me ? (
        <p class="warn">{message}</p>
      ) : me.user ? (
        <>
          <p data-testid="account-email">
            Signed in as <strong>{me.user.email}</strong>.
          </p>
          <p data-testid="account-likes">
            {me.likes} {me.likes === 1 ? "like" : "likes"} saved. <a href="/favourites">See your favourites</a>.
          </p>
          <Form reloadDocument action={signOut}>
            <button type="submit" data-testid="sign-out">
              Sign out
            </button>
          </Form>
        </>
      ) : (
        <>
          <p>
            You are browsing anonymously: your likes, walls and history live in this browser's session. Make an account
            to keep them everywhere; everything from this session joins your account.
          </p>
          <div class="auth-forms">
            <Form reloadDocument action={signUp} class="stack" data-testid="sign-up-form">
              <h2>Create an account</h2>
              <label>
                Email
                <input type="email" name="email" autoComplete="email" required data-testid="sign-up-email" />
              </label>
              <label>
                Password (8 characters or more)
                <input type="password" name="password" autoComplete="new-password" minLength={8} required data-testid="sign-up-password" />
              </label>
              <button type="submit" class="button-primary" data-testid="sign-up-submit">
                Sign up
              </button>
              {errorOf(signUp) && <p role="alert" class="warn">{errorOf(signUp)}</p>}
            </Form>
            <Form reloadDocument action={signIn} class="stack" data-testid="sign-in-form">
              <h2>Sign in</h2>
              <label>
                Email
                <input type="email" name="email" autoComplete="username" required data-testid="sign-in-email" />
              </label>
              <label>
                Password
                <input type="password" name="password" autoComplete="current-password" required data-testid="sign-in-password" />
              </label>
              <p class="muted small">This browser's likes, walls and history join your account when you sign in.</p>
              <button type="submit" data-testid="sign-in-submit">
                Sign in
              </button>
              {errorOf(signIn) && <p role="alert" class="warn">{errorOf(signIn)}</p>}
            </Form>
          </div>
        </>
      )}
      {me && (
        <section aria-labelledby="data-heading">
          <h2 id="data-heading">Your data</h2>
          <p>
            <a href={ENDPOINTS.exportData} download="art-snob-data.json" class="button" data-testid="export-link">
              Download my data (JSON)
            </a>
          </p>
          <Form reloadDocument action={del} class="stack danger">
            <label class="inline">
              <input type="checkbox" name="confirm" required data-testid="delete-confirm" /> Delete my likes, walls, history
              {me.user ? " and account" : ""}. This cannot be undone.
            </label>
            <button type="submit" data-testid="delete-submit">
              Delete everything
            </button>
            {errorOf(del) && <p role="alert" class="warn">{errorOf(del)}</p>}
          </Form>
        </section>
      )}
    </section>
  );
});

export const head: DocumentHead = { title: "Account", meta: [{ name: "robots", content: "noindex" }] };
