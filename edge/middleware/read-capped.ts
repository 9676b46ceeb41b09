// Reads a request body up to a byte cap, whatever Content-Length claims: a body over the cap is refused
// after at most `cap` bytes were buffered, never read whole.
export class BodyTooLarge extends Error {
  constructor(readonly cap: number) {
    super(`request body over ${cap} bytes`);
  }
}

export async function readCapped(req: Request, cap: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > cap) throw new BodyTooLarge(cap);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      // Not awaited: cancelling one branch of a tee'd body (a clone) settles only once both are cancelled.
      void reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(cap);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const ch of chunks) (out.set(ch, at), (at += ch.byteLength));
  return out;
}
