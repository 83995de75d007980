/**
 * A reusable array for a step that needs a few numbers for a moment, when it runs millions of
 * times (scoring one pair of records at a time): one array for the process instead of one per
 * call. Valid until the next call, so a caller finishes with it before anything else can ask.
 */
let scratch = new Int8Array(64);

/** The scratch array, at least `length` long; its contents are left from the last caller. */
export function scratchInt8(length: number): Int8Array {
  if (scratch.length < length) scratch = new Int8Array(length);
  return scratch;
}
