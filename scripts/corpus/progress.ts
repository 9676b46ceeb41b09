// Structured progress for the corpus generator: one JSON object per line on stderr,
// so stdout stays free for anything a caller wants to pipe.
export function progress(msg: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: "info", msg, ...fields }) + "\n");
}

export function warn(msg: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: "warn", msg, ...fields }) + "\n");
}
