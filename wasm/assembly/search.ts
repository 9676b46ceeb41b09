// Exhaustive int8 search: one query against N rows, filtered by optional bitmaps, top-k kept in a heap.
import { dotI8I16 } from "./dot";
import { heapPush, heapReplaceRoot, heapSortBestFirst, heapWorstScore } from "./topk";

/**
 * Below this fraction of eligible rows, rows are visited one by one (ctz over the bitmap words); above it,
 * every row of a non-empty word is scored in order and filtered rows are dropped afterwards. Measured on
 * 100k × 512: skipping rows breaks the hardware prefetcher's stream, so at 20% random density visiting
 * only the eligible rows was slower than scoring all of them; at ≤ 10% it is 5× faster.
 */
const SPARSE_BELOW_EIGHTHS: u32 = 1; // density < 1/8

// @ts-ignore: decorator
@inline
function filterWord(exclude: usize, allow: usize, w: u32, lastWord: u32, tail: u32): u32 {
  let mask: u32 = allow != 0 ? load<u32>(allow + (<usize>w << 2)) : 0xffffffff;
  if (exclude != 0) mask &= ~load<u32>(exclude + (<usize>w << 2));
  if (tail != 0 && w == lastWord) mask &= (<u32>1 << tail) - 1;
  return mask;
}

/**
 * Scores rows [0, count) of the row-major int8 matrix at `vectors` (row stride `stride`, a multiple of 16,
 * zero-padded) against the i16 query at `query16` and writes the best `k` as (row, raw dot) pairs to
 * outRows/outScores, best first (ties: lower row first). `exclude` / `allow` are bitmaps of ceil(count/32)
 * u32 words (bit r%32 of word r/32) or 0 for none. Returns the number of results (≤ k).
 */
export function searchI8(
  vectors: usize, count: u32, stride: usize, query16: usize, k: u32,
  exclude: usize, allow: usize, outRows: usize, outScores: usize,
): u32 {
  if (k == 0 || count == 0) return 0;
  const words = (count + 31) >>> 5;
  const lastWord = words - 1;
  const tail = count & 31;

  let sparse = false;
  if (exclude != 0 || allow != 0) {
    let eligible: u32 = 0;
    for (let w: u32 = 0; w < words; w++) eligible += popcnt(filterWord(exclude, allow, w, lastWord, tail));
    sparse = (<u64>eligible << 3) < <u64>count * SPARSE_BELOW_EIGHTHS;
  }

  let size: u32 = 0;
  for (let w: u32 = 0; w < words; w++) {
    const mask = filterWord(exclude, allow, w, lastWord, tail);
    if (mask == 0) continue;
    if (sparse) {
      let bits = mask;
      while (bits != 0) {
        const row = (w << 5) + ctz(bits);
        bits &= bits - 1;
        const score = dotI8I16(vectors + <usize>row * stride, query16, stride);
        if (size < k) size = heapPush(outRows, outScores, size, row, score);
        else if (score > heapWorstScore(outScores)) heapReplaceRoot(outRows, outScores, size, row, score);
      }
    } else {
      const end: u32 = w == lastWord && tail != 0 ? tail : 32;
      for (let b: u32 = 0; b < end; b++) {
        const row = (w << 5) + b;
        const score = dotI8I16(vectors + <usize>row * stride, query16, stride);
        // Branch-free filter test folded into the rarely-true "better than the worst kept" test: a
        // branch on a random filter bit would mispredict half the time.
        const wanted = ((mask >>> b) & 1) & (<u32>(size < k) | <u32>(score > heapWorstScore(outScores)));
        if (wanted == 0) continue;
        if (size < k) size = heapPush(outRows, outScores, size, row, score);
        else heapReplaceRoot(outRows, outScores, size, row, score);
      }
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
