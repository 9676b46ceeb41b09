// Deterministic clustered synthetic embeddings for the benchmark and the big tests. Shaped loosely like
// image embeddings: a shared component (random pairs have cosine ≈ 0.3), ~N/200 clusters (≈ 0.6 inside
// a cluster) and per-item noise, so nearest neighbours are meaningfully closer than cluster mates.
import { fillGaussian, gaussian, rng } from "./random-vectors.ts";

export interface ClusteredSpec {
  dim: number;
  clusters: number;
  seed: number;
}

export function clusteredSpec(n: number, dim = 512, seed = 42): ClusteredSpec {
  return { dim, clusters: Math.max(8, Math.ceil(n / 200)), seed };
}

/** Generator of rows; the same spec gives the same centres, so queries come from the same distribution. */
export function clusteredGenerator(spec: ClusteredSpec): (rand: () => number, out: Float32Array, offset?: number) => void {
  const { dim, clusters } = spec;
  const r = rng(spec.seed);
  const shared = Float32Array.from({ length: dim }, () => gaussian(r) * 0.65);
  const centres = new Float32Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = gaussian(r);
  // Sub-structure: each cluster has 8 sub-centres, so neighbourhoods are nested as in real data.
  const subs = new Float32Array(clusters * 8 * dim);
  for (let i = 0; i < subs.length; i++) subs[i] = gaussian(r) * 0.55;
  const noise = new Float32Array(dim);
  return (rand, out, offset = 0) => {
    const c = Math.floor(rand() * clusters);
    const s = c * 8 + Math.floor(rand() * 8);
    fillGaussian(rand, noise, 0, dim, 0.55);
    for (let d = 0; d < dim; d++) out[offset + d] = shared[d]! + centres[c * dim + d]! + subs[s * dim + d]! + noise[d]!;
  };
}

/** n rows (not normalised: the index normalises), row-major. */
export function clusteredRows(spec: ClusteredSpec, n: number, stream: number): Float32Array {
  const gen = clusteredGenerator(spec);
  const rand = rng(spec.seed * 7919 + stream);
  const out = new Float32Array(n * spec.dim);
  for (let i = 0; i < n; i++) gen(rand, out, i * spec.dim);
  return out;
}
