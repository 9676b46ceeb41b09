// int8 · int16 dot products with v128 SIMD. The query is pre-widened to i16 once per search, so each
// 16-byte chunk of a row costs two sign-extends and two i32x4.dot_i16x8_s (pmaddwd) — no overflow:
// |a·b| ≤ 128·128·2 per lane pair, and a row of up to 65536 dims stays below 2^31.

/** Dot product of `stride` int8 values at `row` with `stride` int16 values at `query16`. stride % 16 == 0. */
// @ts-ignore: decorator
@inline
export function dotI8I16(row: usize, query16: usize, stride: usize): i32 {
  let acc0 = i32x4.splat(0);
  let acc1 = i32x4.splat(0);
  let i: usize = 0;
  // Two chunks per iteration: independent accumulators hide the multiply latency.
  const end32 = stride & ~(<usize>31);
  for (; i < end32; i += 32) {
    const a = v128.load(row + i);
    const b = v128.load(row + i + 16);
    const q = query16 + (i << 1);
    acc0 = i32x4.add(acc0, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(a), v128.load(q)));
    acc1 = i32x4.add(acc1, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(a), v128.load(q, 16)));
    acc0 = i32x4.add(acc0, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(b), v128.load(q, 32)));
    acc1 = i32x4.add(acc1, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(b), v128.load(q, 48)));
  }
  if (i < stride) {
    const a = v128.load(row + i);
    const q = query16 + (i << 1);
    acc0 = i32x4.add(acc0, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(a), v128.load(q)));
    acc1 = i32x4.add(acc1, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(a), v128.load(q, 16)));
  }
  const acc = i32x4.add(acc0, acc1);
  return i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
}
