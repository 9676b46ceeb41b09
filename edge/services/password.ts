// Password hashing: argon2id (RFC 9106) from @noble/hashes — pure JS, so it runs on Workers too.
// Parameters are OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1 (measured 0.6–0.9 s on Node and
// 0.21–0.26 s on workerd here; on Workers that needs the paid plan's CPU budget, not Free's 10 ms). PBKDF2 was rejected: workerd caps it at 100k
// iterations, below OWASP's 600k for PBKDF2-SHA256. Hashes are PHC strings, so parameters can be raised
// later and old hashes still verify (`needsRehash`).
import { argon2idAsync } from "@noble/hashes/argon2.js";
import { b64url, timingSafeEqual } from "./session-cookie.ts";

export interface Argon2Params {
  m: number;
  t: number;
  p: number;
}
export const OWASP_ARGON2ID: Argon2Params = { m: 19456, t: 2, p: 1 };
const DK_LEN = 32;

const fromB64 = (s: string): Uint8Array => {
  const b = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(b, (ch) => ch.charCodeAt(0));
};

export class PasswordHasher {
  constructor(private readonly params: Argon2Params = OWASP_ARGON2ID) {}

  async hash(password: string): Promise<string> {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const { m, t, p } = this.params;
    const dk = await argon2idAsync(password, salt, { m, t, p, dkLen: DK_LEN });
    return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64url(salt)}$${b64url(dk)}`;
  }

  async verify(password: string, phc: string): Promise<boolean> {
    const m = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/.exec(phc);
    if (!m) return false;
    const dk = await argon2idAsync(password, fromB64(m[4]!), { m: Number(m[1]), t: Number(m[2]), p: Number(m[3]), dkLen: DK_LEN });
    return timingSafeEqual(b64url(dk), m[5]!);
  }

  /** Spend the same work as a real check, so unknown emails are not distinguishable by timing. */
  async burn(password: string): Promise<void> {
    const { m, t, p } = this.params;
    await argon2idAsync(password, new Uint8Array(16), { m, t, p, dkLen: DK_LEN });
  }

  needsRehash(phc: string): boolean {
    const { m, t, p } = this.params;
    return !phc.startsWith(`$argon2id$v=19$m=${m},t=${t},p=${p}$`);
  }
}
