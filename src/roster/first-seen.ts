/**
 * One record per id, in every connector: where each id was first seen (a line, or a record's
 * place in a list), so that a repeated id is reported against its first and the first is the
 * one kept.
 */
import { Hash64 } from "../lib/compact/hash.ts";
import type { Problem } from "./snapshot.ts";

/**
 * A connector sees millions of ids (5M enrolments at the large end): a Map of them would hold
 * every id's string and entry, so ids are kept as 96-bit hashes in one typed array, with the
 * place beside them (16 bytes a slot). Two different ids share a hash about once in 10^16 reads of 5M ids.
 */
export class FirstSeen {
  /** Four numbers a slot: three hash lanes, then the place (0: empty). */
  private slots = new Int32Array(4 * 1024);
  private count = 0;
  private readonly hash = new Hash64();

  get size(): number {
    return this.count;
  }

  /** Records `id` at `place` (1 or more) when new and returns 0; for a repeat, returns the first place. */
  claim(id: string, place: number): number {
    this.hash.of(id);
    const a = this.hash.low;
    const b = this.hash.high;
    const c = thirdLane(id);
    const mask = this.slots.length / 4 - 1;
    for (let slot = a & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 4;
      const first = this.slots[at + 3]!;
      if (first === 0) {
        this.slots[at] = a;
        this.slots[at + 1] = b;
        this.slots[at + 2] = c;
        this.slots[at + 3] = place;
        // Three quarters full: twice the room, so probes stay short.
        if (++this.count * 4 >= (mask + 1) * 3) this.grow();
        return 0;
      }
      if (this.slots[at] === a && this.slots[at + 1] === b && this.slots[at + 2] === c) return first;
    }
  }

  /** Twice the room; entries are placed again from their kept hashes. */
  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    const mask = this.slots.length / 4 - 1;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 3] === 0) continue;
      let slot = old[at]! & mask;
      while (this.slots[slot * 4 + 3] !== 0) slot = (slot + 1) & mask;
      this.slots.set(old.subarray(at, at + 4), slot * 4);
    }
  }
}

/** A third lane over the id's code units, apart from Hash64's two, for 96 bits in all. */
function thirdLane(id: string): number {
  let c = 0x2545f491 | 0;
  for (let index = 0; index < id.length; index++) {
    c = Math.imul(c + id.charCodeAt(index), 0x27d4eb2d);
    c ^= c >>> 15;
  }
  return Math.imul(c ^ (c >>> 13), 0xc2b2ae35) ^ id.length;
}

/**
 * For an API list (Clever, Wonde): true for the first record with an id; false for a repeat,
 * after an error naming both records' places in the list. The caller skips repeats.
 */
export function firstInList(file: string, problem: (problem: Problem) => void, entity?: Problem["entity"]): (id: string) => boolean {
  const seen = new FirstSeen();
  let place = 0;
  return (id) => {
    const first = seen.claim(id, ++place);
    if (!first) return true;
    problem({
      severity: "error",
      file,
      entity,
      sourceId: id,
      message: `${id} is listed twice in ${file} (records ${first} and ${place}); the first was read and the second left out`,
    });
    return false;
  };
}
