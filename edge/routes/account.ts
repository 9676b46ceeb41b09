// Session and account routes: who am I (+ CSRF token), sign-up, sign-in, sign-out, export, delete.
import { createRoute } from "@hono/zod-openapi";
import { csrfToken } from "../middleware/csrf.ts";
import { setSession } from "../middleware/session.ts";
import { jsonBody, jsonOk, openApiRouter, writeErrors, z } from "../openapi.ts";
import type { CookieSigner } from "../services/session-cookie.ts";
import type { Services } from "../services/index.ts";

const User = z.object({ id: z.string(), email: z.string() }).openapi("User");
const SessionInfo = z
  .object({ sessionId: z.string(), user: User.nullable(), csrfToken: z.string().openapi({ description: "Send as x-csrf-token (or form field _csrf) on writes without a same-origin Origin/Sec-Fetch-Site" }) })
  .openapi("SessionInfo");
const Credentials = z
  .object({
    email: z.string().trim().max(254).email(),
    // OWASP: at least 8, allow long passphrases; the cap bounds work per request.
    password: z.string().min(8).max(256),
  })
  .strict()
  .openapi("Credentials");
const AuthResult = z.object({ user: User, csrfToken: z.string() }).openapi("AuthResult");

export function accountRoutes(s: Services, signer: CookieSigner) {
  const r = openApiRouter();
  const info = async (c: Parameters<Parameters<typeof r.openapi>[1]>[0], user: { id: string; email: string } | null) => {
    const session = c.get("session");
    return { sessionId: session.id, user, csrfToken: await csrfToken(signer, session.id) };
  };

  r.openapi(
    createRoute({ method: "get", path: "/session", tags: ["account"], summary: "The current session, its user and its CSRF token", responses: { 200: jsonOk(SessionInfo) } }),
    async (c) => {
      c.header("Cache-Control", "private, no-store");
      return c.json(await info(c, await s.auth.me(c.get("session"))), 200);
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/account/signup",
      tags: ["account"],
      summary: "Create an account; the anonymous session's likes, walls and history move into it",
      request: { body: jsonBody(Credentials) },
      responses: { 201: jsonOk(AuthResult, "Created and signed in"), 409: writeErrors[404], ...writeErrors },
    }),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const out = await s.auth.signUp(c.get("session"), email, password);
      setSession(c, out.session);
      return c.json({ user: out.user, csrfToken: await csrfToken(signer, out.session.id) }, 201);
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/account/signin",
      tags: ["account"],
      summary: "Sign in; the anonymous session merges into the account and the session id is rotated",
      request: { body: jsonBody(Credentials.extend({ password: z.string().min(1).max(256) }).strict()) },
      responses: { 200: jsonOk(AuthResult), 401: writeErrors[404], ...writeErrors },
    }),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const out = await s.auth.signIn(c.get("session"), email, password);
      setSession(c, out.session);
      return c.json({ user: out.user, csrfToken: await csrfToken(signer, out.session.id) }, 200);
    },
  );

  r.openapi(
    createRoute({ method: "post", path: "/account/signout", tags: ["account"], summary: "Sign out; continue as a new anonymous session", responses: { 200: jsonOk(z.object({ ok: z.literal(true) })), ...writeErrors } }),
    async (c) => {
      setSession(c, await s.auth.signOut(c.get("session")));
      return c.json({ ok: true as const }, 200);
    },
  );

  r.openapi(
    createRoute({ method: "get", path: "/account/export", tags: ["account"], summary: "Everything stored about the caller, as JSON", responses: { 200: jsonOk(z.record(z.string(), z.unknown())) } }),
    async (c) => {
      c.header("Cache-Control", "private, no-store");
      c.header("Content-Disposition", 'attachment; filename="artsnob-export.json"');
      return c.json(await s.exports.exportData(c.get("session")), 200);
    },
  );

  r.openapi(
    createRoute({ method: "delete", path: "/account", tags: ["account"], summary: "Delete the caller's data (and account when signed in)", responses: { 200: jsonOk(z.object({ deleted: z.literal(true) })), ...writeErrors } }),
    async (c) => {
      setSession(c, await s.exports.deleteData(c.get("session")));
      return c.json({ deleted: true as const }, 200);
    },
  );

  return r;
}
