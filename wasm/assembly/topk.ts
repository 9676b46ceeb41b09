// Bounded top-k as a binary min-heap over two parallel arrays (rows u32, scores i32) in wrapper-owned
// memory. Order is total and deterministic: higher score first, equal scores → lower row first.
// The heap root is the *worst* kept entry, so most rows are rejected with one comparison.

// @ts-ignore: decorator
@inline
function worse(scoreA: i32, rowA: u32, scoreB: i32, rowB: u32): bool {
  return scoreA < scoreB || (scoreA == scoreB && rowA > rowB);
}

// @ts-ignore: decorator
@inline
function siftDown(rows: usize, scores: usize, size: u32, start: u32, row: u32, score: i32): void {
  let i = start;
  while (true) {
    let child = (i << 1) + 1;
    if (child >= size) break;
    let cRow = load<u32>(rows + (<usize>child << 2));
    let cScore = load<i32>(scores + (<usize>child << 2));
    const right = child + 1;
    if (right < size) {
      const rRow = load<u32>(rows + (<usize>right << 2));
      const rScore = load<i32>(scores + (<usize>right << 2));
      if (worse(rScore, rRow, cScore, cRow)) { child = right; cRow = rRow; cScore = rScore; }
    }
    if (!worse(cScore, cRow, score, row)) break;
    store<u32>(rows + (<usize>i << 2), cRow);
    store<i32>(scores + (<usize>i << 2), cScore);
    i = child;
  }
  store<u32>(rows + (<usize>i << 2), row);
  store<i32>(scores + (<usize>i << 2), score);
}

/** Adds (row, score) to a heap holding `size` < capacity entries; returns the new size. */
// @ts-ignore: decorator
@inline
export function heapPush(rows: usize, scores: usize, size: u32, row: u32, score: i32): u32 {
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const pRow = load<u32>(rows + (<usize>parent << 2));
    const pScore = load<i32>(scores + (<usize>parent << 2));
    if (!worse(score, row, pScore, pRow)) break;
    store<u32>(rows + (<usize>i << 2), pRow);
    store<i32>(scores + (<usize>i << 2), pScore);
    i = parent;
  }
  store<u32>(rows + (<usize>i << 2), row);
  store<i32>(scores + (<usize>i << 2), score);
  return size + 1;
}

/** Score of the worst kept entry (the root); only meaningful when size > 0. */
// @ts-ignore: decorator
@inline
export function heapWorstScore(scores: usize): i32 {
  return load<i32>(scores);
}

/** Replaces the root by (row, score) when the candidate is better. Rows arrive in increasing order,
 *  so an equal score is never better than the kept one (it has a higher row). */
// @ts-ignore: decorator
@inline
export function heapReplaceRoot(rows: usize, scores: usize, size: u32, row: u32, score: i32): void {
  siftDown(rows, scores, size, 0, row, score);
}

/** In-place heap sort: leaves entries ordered best first (score desc, row asc). */
export function heapSortBestFirst(rows: usize, scores: usize, size: u32): void {
  let n = size;
  while (n > 1) {
    n--;
    const lastRow = load<u32>(rows + (<usize>n << 2));
    const lastScore = load<i32>(scores + (<usize>n << 2));
    // Move the current worst (root) to the end of the shrinking heap.
    store<u32>(rows + (<usize>n << 2), load<u32>(rows));
    store<i32>(scores + (<usize>n << 2), load<i32>(scores));
    siftDown(rows, scores, n, 0, lastRow, lastScore);
  }
}
