// Qwik's server renderer for the storefront.
import { manifest } from "@qwik-client-manifest";
import { renderToStream, type RenderToStreamOptions } from "@builder.io/qwik/server";
import Root from "./root.tsx";

export default function render(opts: RenderToStreamOptions) {
  return renderToStream(<Root />, {
    ...opts,
    // Browsing pages are plain HTML (links and GET forms), so nothing is preloaded: no preloader, and
    // no modulepreload of Qwik's ~50 KB core (Qwik adds that whenever the manifest names a core).
    // Only the 3 KB Qwik loader ships; interactive parts fetch their code on first use.
    // Pages that become interactive can re-enable preloading here.
    preloader: false,
    manifest: { ...manifest, core: undefined },
    containerAttributes: { lang: "en", ...opts.containerAttributes },
  });
}
