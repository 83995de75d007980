/**
 * Name similarity with well-kept packages (matching.md section 3.5): Jaro-Winkler from
 * `jaro-winkler` (reference behaviour), Levenshtein from `fastest-levenshtein`, phonetic codes
 * from `double-metaphone`. Results are memoised per pair of name ids: a district has far
 * fewer distinct names than pairs.
 */
import { doubleMetaphone } from "double-metaphone";
import { distance } from "fastest-levenshtein";
import jaroWinkler from "jaro-winkler";
import { areNicknames } from "./nicknames.ts";
import type { Strings } from "./encode.ts";

export class NameSimilarity {
  private readonly jw = new Map<number, number>();
  private readonly nick = new Map<number, boolean>();
  private readonly codes = new Map<number, [string, string]>();
  private readonly parts = new Map<number, string[]>();

  constructor(private readonly names: Strings) {}

  nameCount(): number {
    return this.names.values.length;
  }

  private key(a: number, b: number): number {
    return a < b ? a * 67_108_864 + b : b * 67_108_864 + a;
  }

  jaroWinkler(a: number, b: number): number {
    const key = this.key(a, b);
    let value = this.jw.get(key);
    if (value === undefined) {
      value = jaroWinkler(this.names.values[a]!, this.names.values[b]!);
      this.jw.set(key, value);
    }
    return value;
  }

  nicknames(a: number, b: number): boolean {
    const key = this.key(a, b);
    let value = this.nick.get(key);
    if (value === undefined) {
      value = areNicknames(this.names.values[a]!, this.names.values[b]!);
      this.nick.set(key, value);
    }
    return value;
  }

  private codesOf(id: number): [string, string] {
    let codes = this.codes.get(id);
    if (!codes) {
      codes = doubleMetaphone(this.names.values[id]!.replace(/ /g, "")) as [string, string];
      this.codes.set(id, codes);
    }
    return codes;
  }

  private readonly soundIds = new Map<string, number>();
  private readonly prefixes = new Map<string, number>();

  /** The first letters of a name, as a small integer (for blocking). */
  prefixId(id: number, length: number): number {
    if (id < 0) return -1;
    const prefix = this.names.values[id]!.slice(0, length);
    let found = this.prefixes.get(prefix);
    if (found === undefined) {
      found = this.prefixes.size;
      this.prefixes.set(prefix, found);
    }
    return found;
  }

  /** The primary phonetic code of a name, as a small integer (for blocking). */
  soundId(id: number): number {
    if (id < 0) return -1;
    const code = this.codesOf(id)[0];
    if (!code) return -1;
    let sound = this.soundIds.get(code);
    if (sound === undefined) {
      sound = this.soundIds.size;
      this.soundIds.set(code, sound);
    }
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
    let parts = this.parts.get(id);
    if (!parts) {
      parts = this.names.values[id]!.split(" ");
      this.parts.set(id, parts);
    }
    return parts;
  }

  /** One name is a single initial of the other ("j" and "james"). */
  initialOf(a: number, b: number): boolean {
    const left = this.names.values[a]!;
    const right = this.names.values[b]!;
    return (left.length === 1 && right.startsWith(left)) || (right.length === 1 && left.startsWith(right));
  }

  editDistance(a: number, b: number): number {
    return distance(this.names.values[a]!, this.names.values[b]!);
  }
}
