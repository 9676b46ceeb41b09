// Progress bars on stderr for interactive runs; silent (no-op) in tests and pipes.
import cliProgress from "cli-progress";

export interface Progress {
  setTotal(total: number): void;
  increment(payload?: Record<string, string | number>): void;
  stop(): void;
}

export function createProgress(label: string, enabled: boolean, fields = "{status}"): Progress {
  if (!enabled) return { setTotal() {}, increment() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(10)} [{bar}] {value}/{total} | {percentage}% | ETA {eta_formatted} | ${fields}`, stream: process.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let total = 0;
  return {
    setTotal(t) {
      total = t;
      if (!started) {
        const initial = Object.fromEntries([...fields.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], 0]));
        bar.start(t, 0, initial);
        started = true;
      } else bar.setTotal(t);
    },
    increment(payload) {
      if (!started) this.setTotal(Math.max(total, 1));
      bar.increment(1, payload ?? {});
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export const progressEnabledByDefault = () => Boolean(process.stderr.isTTY) && !process.env.NODE_TEST_CONTEXT;
