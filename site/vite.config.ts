// Qwik City build for the storefront. Everything lives under site/:
//   client build → site/dist (static files the edge serves), SSR build → site/server/entry.fetch.js
//   (a web-standard SiteHandler the edge mounts on Node, Deno and workerd; see common/api.ts).
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { qwikVite } from "@builder.io/qwik/optimizer";
import { qwikCity } from "@builder.io/qwik-city/vite";

const siteDir = fileURLToPath(new URL(".", import.meta.url));
const at = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// SITE_OUT_DIR moves both outputs (<dir>/dist, <dir>/server) elsewhere, e.g. so a test can build
// without touching the site/dist that a running server or another test is using.
const outRoot = process.env.SITE_OUT_DIR ? resolve(process.env.SITE_OUT_DIR) : siteDir;

export default defineConfig(({ isSsrBuild }) => ({
  root: siteDir,
  publicDir: isSsrBuild ? false : at("./public"),
  plugins: [
    qwikCity({ routesDir: at("./src/routes"), trailingSlash: false }),
    qwikVite({
      srcDir: at("./src"),
      client: { outDir: join(outRoot, "dist") },
      // The SSR build's entry is the edge handler (it imports entry.ssr.tsx for rendering).
      ssr: { input: at("./src/entry.fetch.tsx"), outDir: join(outRoot, "server") },
      lint: false,
    }),
  ],
  // One self-contained ES module: no bare imports left, so Node, Deno and workerd (via wrangler's
  // bundler) can all load it. node:async_hooks is imported lazily by Qwik City and optional.
  ssr: isSsrBuild ? { target: "webworker", noExternal: true, external: ["node:async_hooks"] } : undefined,
  resolve: isSsrBuild ? { conditions: ["webworker", "worker", "import", "module", "default"] } : undefined,
  build: isSsrBuild
    ? { emptyOutDir: true, rollupOptions: { output: { format: "es", entryFileNames: "[name].js" } } }
    : { emptyOutDir: true },
  logLevel: "warn",
}));
