/** Bad input from the caller (wrong length, out-of-range row, k too large…): map to HTTP 400. */
export class VectorInputError extends RangeError {
  override name = "VectorInputError";
}

/** The module is not the one we expect, or linear memory cannot grow: a server-side fault. */
export class VectorCoreError extends Error {
  override name = "VectorCoreError";
}
