// Exhaustive int8 search: one query against N rows, filtered by optional bitmaps, top-k kept in a heap.
import { dotI8I16 } from "./dot";
import { heapPush, heapReplaceRoot, heapSortBestFirst, heapWorstScore } from "./topk";

/**
 * Scores rows [0, count) of the row-major int8 matrix at `vectors` (row stride `stride`, a multiple of 16,
 * zero-padded) against the i16 query at `query16` and writes the best `k` as (row, raw dot) pairs to
 * outRows/outScores, best first. `exclude` / `allow` are bitmaps of ceil(count/32) u32 words (bit r%32 of
 * word r/32) or 0 for none. Returns the number of results (≤ k).
 */
export function searchI8(
  vectors: usize, count: u32, stride: usize, query16: usize, k: u32,
  exclude: usize, allow: usize, outRows: usize, outScores: usize,
): u32 {
  if (k == 0 || count == 0) return 0;
  let size: u32 = 0;
  const words = (count + 31) >>> 5;
  const tail = count & 31;
  for (let w: u32 = 0; w < words; w++) {
    let mask: u32 = allow != 0 ? load<u32>(allow + (<usize>w << 2)) : 0xffffffff;
    if (exclude != 0) mask &= ~load<u32>(exclude + (<usize>w << 2));
    if (tail != 0 && w == words - 1) mask &= (<u32>1 << tail) - 1;
    while (mask != 0) {
      const row = (w << 5) + ctz(mask);
      mask &= mask - 1;
      const score = dotI8I16(vectors + <usize>row * stride, query16, stride);
      if (size < k) size = heapPush(outRows, outScores, size, row, score);
      else if (score > heapWorstScore(outScores)) heapReplaceRoot(outRows, outScores, size, row, score);
    }
  }
  heapSortBestFirst(outRows, outScores, size);
  return size;
}

/** Raw dot products of the listed rows (u32 ids at `rows`) with the query, for reranking and tests. */
export function scoreRows(vectors: usize, stride: usize, query16: usize, rows: usize, n: u32, outScores: usize): void {
  for (let i: u32 = 0; i < n; i++) {
    const row = load<u32>(rows + (<usize>i << 2));
    store<i32>(outScores + (<usize>i << 2), dotI8I16(vectors + <usize>row * stride, query16, stride));
  }
}
