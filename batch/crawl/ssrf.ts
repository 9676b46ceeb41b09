// SSRF guard: a crawled page must not steer the crawler at the operator's own network. Every hop
// (first request and each redirect) is resolved; private, loopback, link-local, CGNAT, multicast
// and other special addresses are refused unless the host is the one configured as the shop
// (the fixture shop on 127.0.0.1 is allowed only because the operator named it).
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/** True for addresses a public shop never lives on (RFC 6890 special-purpose ranges). */
export function isPrivateAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) {
    const [a, b] = ip.split(".").map(Number) as [number, number];
    return (
      a === 0 || a === 10 || a === 127 || a >= 224 ||
      (a === 100 && b >= 64 && b <= 127) || // CGNAT
      (a === 169 && b === 254) || // link-local, cloud metadata
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 192 && b === 0) ||
      (a === 198 && (b === 18 || b === 19))
    );
  }
  if (v === 6) {
    const x = ip.toLowerCase().replace(/^\[|\]$/g, "");
    if (x === "::" || x === "::1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(x);
    if (mapped) return isPrivateAddress(mapped[1]!);
    return /^(fc|fd|fe8|fe9|fea|feb|ff)/.test(x) || x.startsWith("64:ff9b:") || x.startsWith("2001:db8:");
  }
  return true; // not an address at all: refuse
}

export type Resolver = (host: string) => Promise<string[]>;
const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Returns a check for URLs: null when the host's addresses are public or the host is trusted (the
 * configured shop), else the reason to refuse. Lookups are cached per host for the run.
 */
export function createAddressGuard(trustedHosts: Iterable<string>, resolve: Resolver = systemResolver): (url: string) => Promise<string | null> {
  const trusted = new Set([...trustedHosts].map((h) => h.toLowerCase()));
  const cache = new Map<string, Promise<string | null>>();
  const judge = async (hostname: string): Promise<string | null> => {
    const bare = hostname.replace(/^\[|\]$/g, "");
    let addrs: string[];
    if (isIP(bare)) addrs = [bare];
    else {
      try {
        addrs = await resolve(bare);
      } catch (e) {
        return `cannot resolve ${bare}: ${(e as Error).message}`;
      }
    }
    const bad = addrs.find(isPrivateAddress);
    return bad ? `${bare} resolves to the private or special address ${bad} (not configured as the shop)` : null;
  };
  return (url: string) => {
    const u = new URL(url);
    if (trusted.has(u.host.toLowerCase())) return Promise.resolve(null);
    let p = cache.get(u.hostname);
    if (!p) cache.set(u.hostname, (p = judge(u.hostname)));
    return p;
  };
}
