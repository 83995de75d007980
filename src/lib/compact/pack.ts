/**
 * Two whole numbers below 2^26 packed into one, as high * PACK_BASE + low. The result stays
 * below 2^52, where a double holds every whole number exactly, so packed pairs sort and
 * compare as plain numbers in a Float64Array: pairs of row numbers (so a roster may hold
 * up to 2^26, 67 million, records a side) and keys made of two 26-bit hashes.
 */
export const PACK_BASE = 2 ** 26;
