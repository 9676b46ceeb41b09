// Qwik's server renderer for the storefront. The client manifest is wired in by the Qwik vite plugin.
import { renderToStream, type RenderToStreamOptions } from "@builder.io/qwik/server";
import Root from "./root.tsx";

export default function render(opts: RenderToStreamOptions) {
  return renderToStream(<Root />, {
    // Browsing pages are plain HTML (links and GET forms); preloading Qwik's ~50 KB core on every
    // page would be the bulk of first-load JS for nothing. Interactive parts load on first use.
    preloader: false,
    ...opts,
    containerAttributes: { lang: "en", ...opts.containerAttributes },
  });
}
