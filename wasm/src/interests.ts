// Clusters a user's liked vectors into a few interests (PinnerSage-style: one query per interest instead
// of one blurred mean). Greedy average-linkage on cosine of cluster means, deterministic.
/** Returns groups of indices into `liked`, largest first; at most `max` groups. */
export function clusterInterests(liked: ArrayLike<number>[], dim: number, max: number, joinCosine: number): number[][] {
  let groups: Array<{ members: number[]; sum: Float64Array }> = liked.map((v, i) => ({ members: [i], sum: Float64Array.from(v) }));
  const cos = (a: Float64Array, b: Float64Array) => {
    let ab = 0, aa = 0, bb = 0;
    for (let d = 0; d < dim; d++) { ab += a[d]! * b[d]!; aa += a[d]! * a[d]!; bb += b[d]! * b[d]!; }
    return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
  };
  // Merge the most similar pair while it is similar enough, or while there are too many groups.
  while (groups.length > 1) {
    let bi = 0, bj = 1, best = -Infinity;
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const c = cos(groups[i]!.sum, groups[j]!.sum);
        if (c > best) { best = c; bi = i; bj = j; }
      }
    }
    if (best < joinCosine && groups.length <= Math.max(1, max)) break;
    const a = groups[bi]!, b = groups[bj]!;
    for (let d = 0; d < dim; d++) a.sum[d] = a.sum[d]! + (b.sum[d]!);
    a.members.push(...b.members);
    groups = groups.filter((_, i) => i !== bj);
  }
  return groups.map((g) => g.members.sort((x, y) => x - y)).sort((x, y) => y.length - x.length || x[0]! - y[0]!);
}
