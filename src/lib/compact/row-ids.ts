/**
 * Row ids (UUIDs) kept as four 32-bit words each instead of 36-character strings, for the
 * tables that hold one per learner: the links every run reads (src/sync/state/link-table.ts)
 * and the ids a first sync gives a million new rows.
 */
import { withLength } from "./grow.ts";
import { StringTable } from "./string-table.ts";

const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;
/** Ids one run gives before its counter moves on to the next millisecond. */
const COUNTER_SPAN = 1 << 24;
const hex = (value: number, digits: number) => (value >>> 0).toString(16).padStart(digits, "0");

/** Writes `uuid` into words[at*4 .. at*4+3]; false when it is not a UUID. */
export function writeUuid(words: Uint32Array, at: number, uuid: string): boolean {
  const parts = UUID.exec(uuid);
  if (!parts) return false;
  words[at * 4] = parseInt(parts[1]!, 16);
  words[at * 4 + 1] = parseInt(parts[2]! + parts[3]!, 16);
  words[at * 4 + 2] = parseInt(parts[4]! + parts[5]!.slice(0, 4), 16);
  words[at * 4 + 3] = parseInt(parts[5]!.slice(4), 16);
  return true;
}

export function readUuid(words: Uint32Array, at: number): string {
  const [a, b, c, d] = [words[at * 4]!, words[at * 4 + 1]!, words[at * 4 + 2]!, words[at * 4 + 3]!];
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex(b & 0xffff, 4)}-${hex(c >>> 16, 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`;
}

/**
 * Version 7 UUIDs (RFC 9562) given to the rows a run creates, by source id, rising in the order
 * they are given: the run's start in milliseconds, a 24-bit counter (method 1, a dedicated
 * counter) and 50 random bits. Rising ids land at the right-hand end of a primary key's index
 * instead of on a random page of it, so a first sync's million inserts touch few index pages.
 * The counter rolls into the next millisecond after 16,777,216 ids; the random bits keep two
 * runs that start in the same millisecond apart.
 */
export class CreatedRowIds {
  private readonly sourceIds = new StringTable();
  private words = new Uint32Array(1024);
  private readonly startMs = Date.now();

  /**
   * Gives `sourceId` a new row id, unless it has one. Returns nothing: a first sync adds a
   * million, and spelling each out as a string here would make them all garbage at once.
   */
  add(sourceId: string): void {
    if (this.sourceIds.find(sourceId) >= 0) return;
    const entry = this.sourceIds.intern(sourceId);
    this.words = withLength(this.words, (entry + 1) * 4);
    const word = this.words.subarray(entry * 4, entry * 4 + 4);
    crypto.getRandomValues(word.subarray(2));
    const ms = this.startMs + Math.floor(entry / COUNTER_SPAN);
    const counter = entry % COUNTER_SPAN;
    word[0] = Math.floor(ms / 0x10000);
    word[1] = ((ms & 0xffff) << 16) | 0x7000 | (counter >>> 12); // version 7, the counter's high 12 bits
    word[2] = 0x80000000 | ((counter & 0xfff) << 18) | (word[2]! & 0x3ffff); // RFC 9562 variant, its low 12 bits, 18 random
  }

  get(sourceId: string): string | undefined {
    const at = this.sourceIds.find(sourceId);
    return at < 0 ? undefined : readUuid(this.words, at);
  }

  has(sourceId: string): boolean {
    return this.sourceIds.find(sourceId) >= 0;
  }

  get size(): number {
    return this.sourceIds.size;
  }
}
