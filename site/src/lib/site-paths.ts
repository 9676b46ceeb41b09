// Which requests the site renders. Everything else returns null from the handler so the edge can
// answer it (API, images, click-outs, static files from site/dist, other methods).

/** Prefixes owned by the edge or by site/dist; the site never renders them. */
const EDGE_PREFIXES = ["/api/", "/img/", "/go/", "/build/", "/assets/"];
/** File-like paths the site itself generates. */
const SITE_FILES = new Set(["/sitemap.xml"]);

export function isSitePath(method: string, pathname: string): boolean {
  if (method !== "GET" && method !== "HEAD" && method !== "POST") return false;
  if (pathname === "/api" || EDGE_PREFIXES.some((p) => pathname.startsWith(p))) return false;
  if (SITE_FILES.has(pathname)) return true;
  // Qwik City's client-side navigation data is the only other file-like path the site answers.
  if (pathname.endsWith("/q-data.json")) return true;
  const last = pathname.slice(pathname.lastIndexOf("/") + 1);
  return !last.includes(".");
}
