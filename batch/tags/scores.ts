// Tag statistics as the original computed them (reference §7, dev_tf_idf_tags notebook): each work
// is a document of its normalised tags; sklearn-style TF-IDF (smooth idf, L2-normalised rows) over
// the maxFeatures most frequent tags; per tag score = mean TF-IDF over the works that carry it,
// count = number of works, weightedScore = z(score) + z(log count) − 5·[count < popularCount].

export interface TagStat {
  name: string;
  count: number;
  score: number;
  weightedScore: number;
  inVocabulary: boolean;
}

export interface TagScores {
  tags: TagStat[];
  /** Per work (same order as the input): [tag index into `tags`, tf-idf] pairs. */
  works: Array<Array<[number, number]>>;
}

export function scoreTags(docs: string[][], opts: { maxFeatures: number; popularCount: number }): TagScores {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  // Vocabulary: the most frequent tags (ties by name, for a stable vocabulary).
  const byCount = [...df.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const vocab = new Set(byCount.slice(0, opts.maxFeatures).map(([t]) => t));
  const n = docs.length;
  const idf = (t: string) => Math.log((1 + n) / (1 + df.get(t)!)) + 1;
  const order = byCount.map(([t]) => t);
  const indexOf = new Map(order.map((t, i) => [t, i]));
  const sum = new Float64Array(order.length);
  const works: Array<Array<[number, number]>> = docs.map((d) => {
    const uniq = [...new Set(d)].filter((t) => vocab.has(t));
    const norm = Math.sqrt(uniq.reduce((s, t) => s + idf(t) ** 2, 0)) || 1;
    return uniq.map((t) => {
      const w = idf(t) / norm;
      sum[indexOf.get(t)!]! += w;
      return [indexOf.get(t)!, w] as [number, number];
    });
  });
  const stats: TagStat[] = order.map((t, i) => ({ name: t, count: df.get(t)!, score: vocab.has(t) ? sum[i]! / df.get(t)! : 0, weightedScore: 0, inVocabulary: vocab.has(t) }));
  const v = stats.filter((s) => s.inVocabulary);
  const z = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length || 1)) || 1;
    return xs.map((x) => (x - m) / sd);
  };
  const zs = z(v.map((s) => s.score));
  const zc = z(v.map((s) => Math.log(s.count)));
  v.forEach((s, i) => (s.weightedScore = zs[i]! + zc[i]! - (s.count < opts.popularCount ? 5 : 0)));
  return { tags: stats, works };
}
