// Worker thread body: one typed-engine UMAP fit (batch/reduce/parallel.ts starts it), so the map
// and the clustering layout use both cores. Posts {epoch,total} progress, then the coordinates.
import { parentPort, workerData } from "node:worker_threads";
import { typedUmap, type UmapOptions } from "./umap.ts";
import type { KnnGraph } from "./knn-graph.ts";

const { rows, graph, opts } = workerData as { rows: number; graph: KnnGraph; opts: Omit<UmapOptions, "engine" | "onEpoch"> };
const y = typedUmap(rows, graph, { ...opts, onEpoch: (epoch, total) => (epoch % 10 === 0 || epoch === total) && parentPort!.postMessage({ epoch, total }) });
parentPort!.postMessage({ done: y }, [y.buffer as ArrayBuffer]);
