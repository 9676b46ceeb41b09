// robots.txt per RFC 9309: user-agent groups (merged when repeated), the most specific group
// for our product token else "*", longest-match Allow/Disallow with `*` and `$`, ties allow.

export interface RobotsRule {
  allow: boolean;
  pattern: string;
}

export interface RobotsGroup {
  agents: string[];
  rules: RobotsRule[];
  crawlDelaySeconds: number | null;
}

export interface Robots {
  groups: RobotsGroup[];
  sitemaps: string[];
  /** Policy for when robots.txt could not be read: "allow-all" (4xx) or "disallow-all" (5xx/unreachable). */
  fallback?: "allow-all" | "disallow-all";
}

export function parseRobots(text: string): Robots {
  const groups: RobotsGroup[] = [];
  const sitemaps: string[] = [];
  let current: RobotsGroup | null = null;
  let lastWasAgent = false;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, "").trim();
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "user-agent") {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [], crawlDelaySeconds: null };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    if (key === "sitemap") {
      if (value) sitemaps.push(value);
      continue; // not part of any group, does not end one
    }
    lastWasAgent = false;
    if (!current) continue; // rules before any user-agent line are ignored
    if (key === "allow" || key === "disallow") {
      // An empty Disallow means "allow everything": no rule needed.
      if (value) current.rules.push({ allow: key === "allow", pattern: value });
    } else if (key === "crawl-delay") {
      const n = Number(value);
      if (Number.isFinite(n) && n >= 0) current.crawlDelaySeconds = n;
    }
  }
  return { groups, sitemaps };
}

/** Groups that apply to a product token (e.g. "ArtSnobBot"): the named ones if any, else "*". */
function groupsFor(robots: Robots, token: string): RobotsGroup[] {
  const t = token.toLowerCase();
  const named = robots.groups.filter((g) => g.agents.some((a) => a !== "*" && (a === t || t.startsWith(a))));
  if (named.length > 0) return named;
  return robots.groups.filter((g) => g.agents.includes("*"));
}

function patternToRegExp(pattern: string): RegExp {
  const anchored = pattern.endsWith("$");
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const re = body
    .split("*")
    .map((part) => normalisePath(part).replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp("^" + re + (anchored ? "$" : ""));
}

/** Percent-encoding normalised so "/a%7e" and "/a~" compare equal (RFC 9309 §2.2.2). */
function normalisePath(p: string): string {
  return p.replace(/%[0-9a-fA-F]{2}/g, (m) => {
    const c = String.fromCharCode(parseInt(m.slice(1), 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : m.toUpperCase();
  });
}

export function isAllowed(robots: Robots, token: string, url: string): boolean {
  if (robots.fallback === "allow-all") return true;
  const u = new URL(url);
  const path = normalisePath(u.pathname + u.search) || "/";
  if (u.pathname === "/robots.txt") return true;
  if (robots.fallback === "disallow-all") return false;
  let best: RobotsRule | null = null;
  let bestLen = -1;
  for (const group of groupsFor(robots, token)) {
    for (const rule of group.rules) {
      if (!patternToRegExp(rule.pattern).test(path)) continue;
      const len = rule.pattern.length;
      if (len > bestLen || (len === bestLen && rule.allow && !best!.allow)) {
        best = rule;
        bestLen = len;
      }
    }
  }
  return best ? best.allow : true;
}

export function crawlDelayMs(robots: Robots, token: string): number | null {
  const delays = groupsFor(robots, token)
    .map((g) => g.crawlDelaySeconds)
    .filter((d): d is number => d !== null);
  return delays.length ? Math.max(...delays) * 1000 : null;
}
