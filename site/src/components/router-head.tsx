// <head> contents for every page: title, description, canonical URL and Open Graph tags from each
// route's `head` export. Only local assets: no external fonts, scripts or trackers.
import { component$ } from "@builder.io/qwik";
import { useDocumentHead, useLocation } from "@builder.io/qwik-city";

export const RouterHead = component$(() => {
  const head = useDocumentHead();
  const loc = useLocation();
  const title = head.title ? `${head.title} · Art Snob` : "Art Snob: discover art you love";
  // A route may give its own canonical link (e.g. search keeps `q`); otherwise the bare path.
  const hasCanonical = head.links.some((l) => l.rel === "canonical");
  return (
    <>
      <title>{title}</title>
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light" />
      <meta name="theme-color" content="#faf9f6" />
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      {!hasCanonical && <link rel="canonical" href={`${loc.url.origin}${loc.url.pathname}`} />}
      <meta property="og:site_name" content="Art Snob" />
      <meta property="og:title" content={title} />
      {head.meta.map((m) => (
        <meta key={m.key ?? m.name ?? m.property} {...m} />
      ))}
      {head.links.map((l) => (
        <link key={l.key ?? l.href} {...l} />
      ))}
    </>
  );
});
