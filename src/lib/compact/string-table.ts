/**
 * Distinct strings numbered in the order first seen, in typed arrays with open addressing.
 * The matcher and the snapshot store intern millions of identifiers and names: a
 * Map<string, number> is slower to fill and find (the README's "Performance"), and growing
 * a Map re-reads every key. Here the hashes are kept in the slots, so growing touches only
 * the typed array.
 */
import { hash32 } from "./hash.ts";

export class StringTable {
  readonly values: string[] = [];
  /**
   * Two numbers per slot, the entry (-1 when empty) and its hash side by side: a probe reads
   * one cache line, not a slot and then a hash kept elsewhere (over a million scattered ids,
   * every read is a miss).
   */
  private slots: Int32Array;

  /** `expected`: how many distinct strings are likely, so the table need not grow. */
  constructor(expected = 256) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = emptySlots(capacity);
  }

  get size(): number {
    return this.values.length;
  }

  /** The entry number of `value`, or -1 when it has not been seen. */
  find(value: string): number {
    const hash = hash32(value);
    const mask = this.slots.length / 2 - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot * 2]!;
      if (entry < 0) return -1;
      if (this.slots[slot * 2 + 1] === hash && this.values[entry] === value) return entry;
    }
  }

  /** The entry number of `value`, added when new (entries are numbered 0, 1, 2, ...). */
  intern(value: string): number {
    const hash = hash32(value);
    const mask = this.slots.length / 2 - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot * 2]!;
      if (entry >= 0) {
        if (this.slots[slot * 2 + 1] === hash && this.values[entry] === value) return entry;
        continue;
      }
      const added = this.values.length;
      this.values.push(value);
      this.slots[slot * 2] = added;
      this.slots[slot * 2 + 1] = hash;
      // Half full: twice the room, so probes stay short.
      if (added * 4 >= this.slots.length) this.grow();
      return added;
    }
  }

  /** Twice the room; entries are placed again from their kept hashes, without reading a string. */
  private grow(): void {
    const old = this.slots;
    this.slots = emptySlots(old.length);
    const mask = this.slots.length / 2 - 1;
    for (let at = 0; at < old.length; at += 2) {
      if (old[at]! < 0) continue;
      let slot = old[at + 1]! & mask;
      while (this.slots[slot * 2]! >= 0) slot = (slot + 1) & mask;
      this.slots[slot * 2] = old[at]!;
      this.slots[slot * 2 + 1] = old[at + 1]!;
    }
  }
}

/** `capacity` empty slots of two numbers each. */
function emptySlots(capacity: number): Int32Array {
  const slots = new Int32Array(capacity * 2);
  for (let slot = 0; slot < slots.length; slot += 2) slots[slot] = -1;
  return slots;
}

/** A StringTable that answers undefined, not -1, for a string it has not numbered. */
export class Interner {
  private readonly table = new StringTable();
  get values(): readonly string[] {
    return this.table.values;
  }
  intern(value: string): number {
    return this.table.intern(value);
  }
  get(value: string): number | undefined {
    const id = this.table.find(value);
    return id < 0 ? undefined : id;
  }
  get size(): number {
    return this.table.size;
  }
}
