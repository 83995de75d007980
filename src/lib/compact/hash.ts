/**
 * String hashes for the typed-array tables. Each is FNV-1a over the UTF-16 code units, finished
 * with a multiply so that short keys (ids that differ in their last character) spread over a
 * table's slots. Hashing here, not with Bun.hash, keeps the result a plain 32-bit number
 * (its 64-bit hashes answer with a BigInt), and keeps these tables free of any runtime's API.
 */
import { PACK_BASE } from "./pack.ts";

const FNV_OFFSET_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
/** The second lane of Hash64: a multiply-shift over the same code units, from its own start. */
const SECOND_LANE_START = 0x9747b28c | 0;
const SECOND_LANE_MULTIPLIER = 0x5bd1e995;
/** After the last code unit of each string Hash64 adds: no UTF-16 code unit is 0x10000. */
const SEPARATOR = 0x10000;

/** Spreads a finished FNV-1a lane over the low bits a table's mask keeps. */
const spread = (hash: number) => Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);

/** A 32-bit hash of one string, for a table that keeps the hash beside each entry. */
export function hash32(value: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (let index = 0; index < value.length; index++) hash = Math.imul(hash ^ value.charCodeAt(index), FNV_PRIME);
  return spread(hash);
}

/**
 * A running 64-bit hash over strings, as two 32-bit halves (FNV-1a, and the multiply-shift
 * lane), for keys made of several strings and for tables probed with numbers alone.
 */
export class Hash64 {
  private lo = 0;
  private hi = 0;

  /** Starts again; returns itself, so `hash.of(a).add(b)` reads in order. */
  of(value: string): this {
    this.lo = FNV_OFFSET_BASIS;
    this.hi = SECOND_LANE_START;
    return this.add(value);
  }

  /** Adds a string, then a separator, so ("ab", "c") and ("a", "bc") differ. */
  add(value: string): this {
    let lo = this.lo;
    let hi = this.hi;
    for (let index = 0; index <= value.length; index++) {
      const code = index < value.length ? value.charCodeAt(index) : SEPARATOR;
      lo = Math.imul(lo ^ code, FNV_PRIME);
      hi = Math.imul(hi ^ code, SECOND_LANE_MULTIPLIER);
      hi ^= hi >>> 13;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /** The low half, spread so that short keys use a table's slots evenly. */
  get low(): number {
    return spread(this.lo);
  }

  get high(): number {
    return Math.imul(this.hi ^ (this.hi >>> 16), 0x85ebca6b);
  }
}

/**
 * The mixing constants of MurmurHash3 and xxHash: odd multipliers with well-spread bits, used
 * as they are. Each of a key's three parts gets its own, so (a, b, c) and (b, a, c) differ.
 */
const MIX = {
  first: [0x9e3779b1, 0x85ebca6b, 0x5bd1e995, 0xcc9e2d51],
  second: [0x27d4eb2f, 0xc2b2ae35, 0x1b873593, 0x1b873593],
  third: [0x165667b1, 0x27d4eb2f, 0xe6546b64, 0x85ebca6b],
} as const;

/**
 * Three non-negative whole numbers as one 52-bit key (two 26-bit hashes, packed as
 * high * PACK_BASE + low, see pack.ts), for sorting records by a key of several fields.
 */
export function mixedKey(a: number, b: number, c: number): number {
  const high = (Math.imul(a + MIX.first[0], MIX.first[1]) ^ Math.imul(b + MIX.second[0], MIX.second[1]) ^ Math.imul(c + MIX.third[0], MIX.third[1])) >>> 6;
  const low = (Math.imul(a ^ MIX.first[2], MIX.first[3]) + Math.imul(b ^ MIX.second[2], MIX.second[3]) + Math.imul(c ^ MIX.third[2], MIX.third[3])) >>> 6;
  return high * PACK_BASE + low;
}
