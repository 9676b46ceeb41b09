// Runs typed-engine UMAP fits in worker threads (one per fit), falling back to the calling thread
// when a worker cannot start. Results are identical either way (same seeded code).
import { Worker } from "node:worker_threads";
import { normalise, typedUmap, type UmapOptions } from "./umap.ts";
import type { KnnGraph } from "./knn-graph.ts";

/** Node needs tsx's loader in the worker to run a .ts file; Deno runs TypeScript itself. */
function workerExecArgv(): string[] | undefined {
  if ("Deno" in globalThis) return undefined;
  try {
    return [...process.execArgv, "--import", import.meta.resolve("tsx/esm")];
  } catch {
    return undefined;
  }
}

export async function umapInWorker(rows: number, graph: KnnGraph, o: Omit<UmapOptions, "engine">): Promise<Float32Array> {
  const { onEpoch, ...opts } = o;
  const inline = () => normalise(typedUmap(rows, graph, o), rows, o.dims);
  let worker: Worker;
  try {
    const execArgv = workerExecArgv();
    worker = new Worker(new URL("./umap-worker.ts", import.meta.url), { workerData: { rows, graph, opts }, ...(execArgv ? { execArgv } : {}) });
  } catch {
    return inline();
  }
  return new Promise((resolve, reject) => {
    let started = false;
    worker.on("message", (m: { epoch?: number; total?: number; done?: Float32Array }) => {
      started = true;
      if (m.done) resolve(normalise(m.done, rows, o.dims));
      else if (m.epoch && m.total) onEpoch?.(m.epoch, m.total);
    });
    // A worker that fails before its first message (no loader, no threads) → run here instead.
    worker.on("error", (e) => (started ? reject(e) : resolve(inline())));
    worker.on("exit", (code) => code !== 0 && started && reject(new Error(`UMAP worker exited with ${code}`)));
  });
}
