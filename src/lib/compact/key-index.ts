/**
 * Strong identifiers by a 64-bit hash, for the identifier tier. Reading a string's characters
 * is the dear part of matching a million records (each string lives apart from its record: on
 * the 2-core machine, 0.1 to 0.3 µs a string, against 15 ns to hash one already at hand), so
 * each identifier is hashed once, where its record is read in order, and the table is then
 * probed with numbers alone. The rows a key leads to are checked again (see identifiers.ts).
 */
import { keep } from "../../sync/match/read-ahead.ts";
import { doubled } from "./grow.ts";

/** A running 64-bit hash over strings, as two 32-bit halves (FNV-1a and a multiply-shift lane). */
export class Hash64 {
  private lo = 0;
  private hi = 0;

  /** Starts again; returns itself, so `hash.of(a).add(b)` reads in order. */
  of(value: string): this {
    this.lo = 0x811c9dc5 | 0;
    this.hi = 0x9747b28c | 0;
    return this.add(value);
  }

  /** Adds a string, then a separator, so ("ab", "c") and ("a", "bc") differ. */
  add(value: string): this {
    let lo = this.lo;
    let hi = this.hi;
    for (let index = 0; index <= value.length; index++) {
      // 0x10000 is no UTF-16 code unit: the separator after the last one.
      const code = index < value.length ? value.charCodeAt(index) : 0x10000;
      lo = Math.imul(lo ^ code, 0x01000193);
      hi = Math.imul(hi ^ code, 0x5bd1e995);
      hi ^= hi >>> 13;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /** The low half, mixed so that short keys spread over a table's slots. */
  get low(): number {
    return Math.imul(this.lo ^ (this.lo >>> 15), 0x2c1b3c6d);
  }

  get high(): number {
    return Math.imul(this.hi ^ (this.hi >>> 16), 0x85ebca6b);
  }
}

/**
 * Hashed keys -> the rows that hold them, by open addressing in one typed array. Each slot
 * holds the key's two halves, its latest entry and how many rows hold it; a key held by
 * several rows chains its entries (rare, so one array per key would waste memory).
 */
export class KeyIndex {
  /** Four numbers a slot: low half, high half, latest entry (-1: empty), rows holding the key. */
  private slots: Int32Array;
  private entryRow: Int32Array;
  /** The entry added before this one for the same key, or -1. */
  private entryNext: Int32Array;
  private entries = 0;
  private keys = 0;

  constructor(expected: number) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = emptySlots(capacity);
    this.entryRow = new Int32Array(Math.max(16, expected));
    this.entryNext = new Int32Array(Math.max(16, expected));
  }

  get size(): number {
    return this.keys;
  }

  add(low: number, high: number, row: number): void {
    if (this.entries === this.entryRow.length) this.growEntries();
    const entry = this.entries++;
    this.entryRow[entry] = row;
    const slot = this.slotOf(low, high);
    const at = slot * 4;
    if (this.slots[at + 2]! < 0) {
      this.slots[at] = low;
      this.slots[at + 1] = high;
      this.entryNext[entry] = -1;
      this.slots[at + 3] = 1;
      this.keys++;
    } else {
      this.entryNext[entry] = this.slots[at + 2]!;
      this.slots[at + 3]!++;
    }
    this.slots[at + 2] = entry;
    // Half full: twice the room, so probes stay short.
    if (this.keys * 2 > this.slots.length / 4) this.growSlots();
  }

  /** How many rows hold the key (0 when none). */
  count(low: number, high: number): number {
    return this.slots[this.slotOf(low, high) * 4 + 3]!;
  }

  /** The one row holding the key, when exactly one does; -1 otherwise. */
  onlyRow(low: number, high: number): number {
    const at = this.slotOf(low, high) * 4;
    return this.slots[at + 3] === 1 ? this.entryRow[this.slots[at + 2]!]! : -1;
  }

  /** Every row holding the key, in the order they were added. */
  rows(low: number, high: number): number[] {
    const rows: number[] = [];
    for (let entry = this.slots[this.slotOf(low, high) * 4 + 2]!; entry >= 0; entry = this.entryNext[entry]!) rows.push(this.entryRow[entry]!);
    return rows.reverse();
  }

  /**
   * Touches the slots where keys with these low halves would start, ahead of adding or finding
   * them (see read-ahead.ts): a batch of scattered slots then costs about one wait, not one each.
   */
  readAhead(lows: Int32Array, from: number, to: number): void {
    const mask = this.slots.length / 4 - 1;
    let touched = 0;
    for (let at = from; at < to; at++) touched += this.slots[(lows[at]! & mask) * 4 + 2]!;
    keep(touched);
  }

  /** The key's slot, or the empty slot where it would go. */
  private slotOf(low: number, high: number): number {
    const mask = this.slots.length / 4 - 1;
    for (let slot = low & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 4;
      if (this.slots[at + 2]! < 0 || (this.slots[at] === low && this.slots[at + 1] === high)) return slot;
    }
  }

  private growSlots(): void {
    const old = this.slots;
    this.slots = emptySlots((old.length / 4) * 2);
    const mask = this.slots.length / 4 - 1;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 2]! < 0) continue;
      let slot = old[at]! & mask;
      while (this.slots[slot * 4 + 2]! >= 0) slot = (slot + 1) & mask;
      this.slots.set(old.subarray(at, at + 4), slot * 4);
    }
  }

  private growEntries(): void {
    this.entryRow = doubled(this.entryRow);
    this.entryNext = doubled(this.entryNext);
  }
}

function emptySlots(capacity: number): Int32Array {
  const slots = new Int32Array(capacity * 4);
  for (let at = 2; at < slots.length; at += 4) slots[at] = -1;
  return slots;
}
