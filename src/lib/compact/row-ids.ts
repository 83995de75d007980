/**
 * Row ids (UUIDs) kept as four 32-bit words each instead of 36-character strings, for the
 * tables that hold one per learner: the links every run reads (src/sync/state/link-table.ts)
 * and the ids a first sync gives a million new rows.
 */
import { withLength } from "./grow.ts";
import { StringTable } from "./string-table.ts";

const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;
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

/** Random version 4 UUIDs given to the rows a run creates, by source id. */
export class CreatedRowIds {
  private readonly sourceIds = new StringTable();
  private words = new Uint32Array(1024);

  /**
   * Gives `sourceId` a new random row id, unless it has one. Returns nothing: a first sync
   * adds a million, and spelling each out as a string here would make them all garbage at once.
   */
  add(sourceId: string): void {
    if (this.sourceIds.find(sourceId) >= 0) return;
    const entry = this.sourceIds.intern(sourceId);
    this.words = withLength(this.words, (entry + 1) * 4);
    const word = this.words.subarray(entry * 4, entry * 4 + 4);
    crypto.getRandomValues(word);
    word[1] = (word[1]! & 0xffff0fff) | 0x00004000; // version 4
    word[2] = (word[2]! & 0x3fffffff) | 0x80000000; // RFC 4122 variant
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
