import { component$, Slot } from "@builder.io/qwik";
import { useLocation, type RequestHandler } from "@builder.io/qwik-city";
import { SearchForm } from "../components/search-form.tsx";
import { hasSessionCookie } from "../lib/api.ts";

/** Pages that read or change the visitor's own state (likes, walls, history, account). */
const PERSONAL = /^\/(taste|favourites|walls|history|account)(\/|$)/;
const RETRIED = "s";

/**
 * A cookieless visitor on a personal page or posting a form gets their session first: a redirect to
 * the same URL (307 keeps a POST and its body), on which the edge's session middleware sets the
 * cookie. Every API call of the real request then acts as that one session. A browser that refuses
 * cookies comes back without one (marked by `?s=1`) and is served anyway, statelessly.
 */
export const onRequest: RequestHandler = (ev) => {
  if (hasSessionCookie(ev) || ev.url.searchParams.has(RETRIED)) return;
  if (ev.method !== "POST" && !PERSONAL.test(ev.url.pathname)) return;
  const to = new URL(ev.url);
  to.searchParams.set(RETRIED, "1");
  ev.headers.set("cache-control", "no-store");
  throw ev.redirect(ev.method === "POST" ? 307 : 302, `${to.pathname}${to.search}`);
};

export const onGet: RequestHandler = ({ cacheControl }) => {
  // Pages reflect the current catalogue; short shared caching, revalidated in the background.
  // Personal pages and any page that sets a cookie switch to `private, no-store` (lib/api.ts).
  cacheControl({ public: true, maxAge: 60, staleWhileRevalidate: 600 });
};

const NAV = [
  ["/taste", "Taste finder"],
  ["/favourites", "Favourites"],
  ["/walls", "Walls"],
  ["/map", "Map"],
  ["/history", "History"],
  ["/account", "Account"],
] as const;

export default component$(() => {
  const loc = useLocation();
  const path = loc.url.pathname;
  const q = path === "/search" ? (loc.url.searchParams.get("q") ?? "") : "";
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <a href="/" class="wordmark" data-testid="home-link">
          Art Snob
        </a>
        <SearchForm id="site-search" value={q} />
        <nav aria-label="Main" class="site-nav">
          <ul>
            {NAV.map(([href, label]) => (
              <li key={href}>
                <a href={href} aria-current={path === href || path.startsWith(href + "/") ? "page" : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Slot />
      </main>
      <footer class="site-footer">
        <p>
          Art Snob finds prints from partner shops. Prices and stock come from the shops; we may earn a commission
          when you buy through our links.
        </p>
        <nav aria-label="About Art Snob">
          <ul class="footer-links">
            <li><a href="/about">About</a></li>
            <li><a href="/blog">Journal</a></li>
            <li><a href="/privacy">Privacy</a></li>
            <li><a href="/terms">Terms</a></li>
            <li><a href="/sitemap.xml">Sitemap</a></li>
          </ul>
        </nav>
      </footer>
    </>
  );
});
