import { component$, Slot } from "@builder.io/qwik";
import { useLocation, type RequestHandler } from "@builder.io/qwik-city";
import { SearchForm } from "../components/search-form.tsx";

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
