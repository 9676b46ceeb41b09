// Signed session cookies (HMAC-SHA256 via Web Crypto, so the same code runs on Node, Deno and workerd).
// Value: `<sessionId>.<userId or empty>.<base64url mac>`. The session id is 128 random bits; the mac binds
// the id to the user id so neither can be swapped. A user id in a cookie is additionally checked against
// the sessions table (edge/middleware/session.ts) so sign-out and account deletion revoke old cookies.
const enc = new TextEncoder();

export const SESSION_COOKIE = "sid";
/** One year: the anonymous taste profile should survive between visits. */
export const SESSION_MAX_AGE_S = 365 * 24 * 3600;

export function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// CSPRNG bytes drawn a page at a time (as Node's randomUUID does): one getRandomValues call per
// request was a visible share of a small read's cost. Each byte is handed out once.
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let poolAt = 0;

export function randomId(bytes = 16): string {
  if (bytes > 256) return b64url(crypto.getRandomValues(new Uint8Array(bytes)));
  if (poolAt + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolAt = 0;
  }
  const out = pool.subarray(poolAt, (poolAt += bytes));
  return b64url(out);
}

const ID_RE = /^[A-Za-z0-9_-]{16,64}$/;
export const isTokenId = (s: string): boolean => ID_RE.test(s);

export class CookieSigner {
  private key: Promise<CryptoKey>;
  /** Cookie values already verified in this isolate: Web Crypto HMAC costs ~0.15 ms a call on Node. */
  private verified = new Map<string, { id: string; userId: string | null }>();
  constructor(secret: string) {
    if (secret.length < 16) throw new Error("session secret must be at least 16 characters");
    this.key = crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  }

  async mac(message: string): Promise<string> {
    const sig = await crypto.subtle.sign("HMAC", await this.key, enc.encode(message));
    return b64url(new Uint8Array(sig));
  }

  async sign(sessionId: string, userId: string | null): Promise<string> {
    return `${sessionId}.${userId ?? ""}.${await this.mac(`s1|${sessionId}|${userId ?? ""}`)}`;
  }

  /** The session in a cookie value, or null when it is malformed or its mac is wrong. */
  async verify(value: string | undefined): Promise<{ id: string; userId: string | null } | null> {
    if (!value || value.length > 200) return null;
    const parts = value.split(".");
    if (parts.length !== 3) return null;
    const [id, uid, mac] = parts as [string, string, string];
    if (!isTokenId(id) || (uid !== "" && !isTokenId(uid))) return null;
    const hit = this.verified.get(value);
    if (hit) return hit;
    const expected = await this.mac(`s1|${id}|${uid}`);
    if (!timingSafeEqual(expected, mac)) return null;
    const session = { id, userId: uid === "" ? null : uid };
    if (this.verified.size >= 10_000) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(value, session);
    return session;
  }
}

export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
