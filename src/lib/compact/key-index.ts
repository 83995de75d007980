/**
 * Keys hashed to 64 bits (see Hash64) -> the rows that hold them. Reading a string's characters
 * costs far more than hashing them once they are at hand (each string lives apart from its
 * record), so a caller hashes each key once, where its record is read in order, and the table
 * is then probed with numbers alone. Two keys can share a hash: a caller checks the rows it is
 * given when a wrong row would matter.
 */
import { keep } from "./read-ahead.ts";
import { withLength } from "./grow.ts";

/**
 * Hashed keys -> the rows that hold them, by open addressing in one typed array. Each slot
 * holds the key's two halves, its latest entry and how many rows hold it; a key held by
 * several rows chains its entries (rare, so one array per key would waste memory).
 */
export class KeyIndex {
  /** Four numbers a slot: low half, high half, latest entry (-1: empty), rows holding the key. */
  private slots: Int32Array;
  private entryRow: Int32Array<ArrayBuffer>;
  /** The entry added before this one for the same key, or -1. */
  private entryNext: Int32Array<ArrayBuffer>;
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
    this.entryRow = withLength(this.entryRow, this.entries + 1);
    this.entryNext = withLength(this.entryNext, this.entries + 1);
  }
}

function emptySlots(capacity: number): Int32Array {
  const slots = new Int32Array(capacity * 4);
  for (let at = 2; at < slots.length; at += 4) slots[at] = -1;
  return slots;
}
