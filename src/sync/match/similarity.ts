/**
 * Name similarity with well-kept packages (matching.md section 3.5): Jaro-Winkler from
 * `jaro-winkler` (reference behaviour) and phonetic codes from `double-metaphone`. Comparison levels are memoised per pair of name ids (a district
 * has far fewer distinct pairs of names than pairs of records); phonetic codes, parts and
 * nickname groups per name.
 */
import { doubleMetaphone } from "double-metaphone";
import jaroWinkler from "jaro-winkler";
import { canonicalsOf, shareCanonical } from "./nicknames.ts";
import type { Strings } from "./encode.ts";
import { PairTable } from "../../lib/compact/pair-table.ts";

export class NameSimilarity {
  // Per name id, filled on first use, in no particular order. Sized up front: an array
  // filled out of order from empty turns sparse, and reading it cost several times more.
  private readonly codes: ([string, string] | undefined)[];
  private readonly parts: (string[] | undefined)[];
  private readonly canonicals: (Set<string> | null | undefined)[];

  constructor(private readonly names: Strings) {
    const perName = () => Array.from({ length: names.values.length }, () => undefined);
    this.codes = perName();
    this.parts = perName();
    this.canonicals = perName();
    this.soundIdsByName = unknownPerName(names.values.length);
  }

  private readonly memos = new Map<object, PairTable>();

  /** A comparison level for a pair of names, worked out once per pair (and per comparison). */
  memo(comparison: object, a: number, b: number, work: () => number): number {
    let memo = this.memos.get(comparison);
    if (!memo) this.memos.set(comparison, (memo = new PairTable()));
    // The smaller id first, so (a, b) and (b, a) share a slot.
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    let level = memo.get(low, high);
    if (level === undefined) {
      level = work();
      memo.set(low, high, level);
    }
    return level;
  }

  nameCount(): number {
    return this.names.values.length;
  }

  jaroWinkler(a: number, b: number): number {
    return jaroWinkler(this.names.values[a]!, this.names.values[b]!);
  }

  nicknames(a: number, b: number): boolean {
    if (a === b) return false;
    return shareCanonical(this.canonicalsOf(a), this.canonicalsOf(b));
  }

  private canonicalsOf(id: number): Set<string> | undefined {
    let found = this.canonicals[id];
    if (found === undefined) this.canonicals[id] = found = canonicalsOf(this.names.values[id]!) ?? null;
    return found ?? undefined;
  }

  private codesOf(id: number): [string, string] {
    let codes = this.codes[id];
    if (!codes) this.codes[id] = codes = doubleMetaphone(this.names.values[id]!.replace(/ /g, "")) as [string, string];
    return codes;
  }

  private readonly soundIds = new Map<string, number>();
  private readonly prefixes = new Map<string, number>();
  private readonly soundIdsByName: Int32Array;
  private readonly prefixIdsByLength = new Map<number, Int32Array>();

  /** The first letters of a name, as a small integer (for blocking). */
  prefixId(id: number, length: number): number {
    if (id < 0) return -1;
    // Blocking asks once per row and rule: remembered per name, not sliced and looked up each time.
    let byName = this.prefixIdsByLength.get(length);
    if (!byName) this.prefixIdsByLength.set(length, (byName = unknownPerName(this.names.values.length)));
    if (id < byName.length && byName[id]! !== UNKNOWN) return byName[id]!;
    const prefix = this.names.values[id]!.slice(0, length);
    let found = this.prefixes.get(prefix);
    if (found === undefined) {
      found = this.prefixes.size;
      this.prefixes.set(prefix, found);
    }
    if (id < byName.length) byName[id] = found;
    return found;
  }

  /** The primary phonetic code of a name, as a small integer (for blocking). */
  soundId(id: number): number {
    if (id < 0) return -1;
    if (id < this.soundIdsByName.length && this.soundIdsByName[id]! !== UNKNOWN) return this.soundIdsByName[id]!;
    const code = this.codesOf(id)[0];
    let sound = -1;
    if (code) {
      const known = this.soundIds.get(code);
      sound = known ?? this.soundIds.size;
      if (known === undefined) this.soundIds.set(code, sound);
    }
    if (id < this.soundIdsByName.length) this.soundIdsByName[id] = sound;
    return sound;
  }

  soundsAlike(a: number, b: number): boolean {
    const [a1, a2] = this.codesOf(a);
    const [b1, b2] = this.codesOf(b);
    return Boolean(a1) && (a1 === b1 || a1 === b2 || a2 === b1);
  }

  /** "garcia lopez" and "lopez" share a part: a double surname written in part. */
  sharesPart(a: number, b: number): boolean {
    const left = this.partsOf(a);
    const right = this.partsOf(b);
    if (left.length < 2 && right.length < 2) return false;
    return left.some((part) => part.length > 1 && right.includes(part));
  }

  private partsOf(id: number): string[] {
    let parts = this.parts[id];
    if (!parts) this.parts[id] = parts = this.names.values[id]!.split(" ");
    return parts;
  }

  /** One name is a single initial of the other ("j" and "james"). */
  initialOf(a: number, b: number): boolean {
    const left = this.names.values[a]!;
    const right = this.names.values[b]!;
    return (left.length === 1 && right.startsWith(left)) || (right.length === 1 && left.startsWith(right));
  }
}

const UNKNOWN = -2;
const unknownPerName = (count: number) => new Int32Array(count).fill(UNKNOWN);
