import { component$, Slot } from "@builder.io/qwik";
import { useLocation, type RequestHandler } from "@builder.io/qwik-city";
import { SearchForm } from "../components/search-form.tsx";

export const onGet: RequestHandler = ({ cacheControl }) => {
  // Pages reflect the current catalogue; short shared caching, revalidated in the background.
  cacheControl({ public: true, maxAge: 60, staleWhileRevalidate: 600 });
};

export default component$(() => {
  const loc = useLocation();
  const q = loc.url.pathname === "/search" ? (loc.url.searchParams.get("q") ?? "") : "";
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
      </header>
      <main id="main" tabIndex={-1}>
        <Slot />
      </main>
      <footer class="site-footer">
        <p>
          Art Snob finds prints from partner shops. Prices and stock come from the shops; we may earn a commission
          when you buy through our links.
        </p>
      </footer>
    </>
  );
});
