/**
 * Candidate pairs: only pairs that agree on some cheap key are scored (matching.md 5.2, 6.1).
 * The rules together keep recall high for the usual errors: one typo in a name (dob + the
 * other name), a date typo or day/month swap (names + year), swapped names (the names in
 * either order), a new surname (dob + given name). Blocking is sort-based over typed
 * arrays: no map of a million keys is built.
 */
import { COMPARISONS } from "./comparisons.ts";
import type { Encoded } from "./encode.ts";
import { withLength } from "../../lib/compact/grow.ts";
import { mixedKey } from "../../lib/compact/hash.ts";
import { PACK_BASE } from "../../lib/compact/pack.ts";
import type { NameSimilarity } from "./similarity.ts";

/** A key from up to three non-negative ints (mixedKey); NO_KEY when a part is missing. */
function key(a: number, b: number, c = 0): number {
  return a < 0 || b < 0 || c < 0 ? NO_KEY : mixedKey(a, b, c);
}

/** The key of a record missing a part of it: it blocks with nothing. */
const NO_KEY = -1;

const year = (digits: number) => (digits < 0 ? -1 : Math.floor(digits / 10_000));
const swappedDate = (digits: number) => {
  if (digits < 0) return -1;
  const month = Math.floor(digits / 100) % 100;
  const day = digits % 100;
  return day > 12 || day === month ? -1 : Math.floor(digits / 10_000) * 10_000 + day * 100 + month;
};

export interface BlockingRule {
  name: string;
  /** The key of a row on the existing side. */
  existing: (data: Encoded, row: number, similarity: NameSimilarity) => number;
  /** The key of a row on the incoming side (differs where the rule undoes an error, like a day/month swap). */
  incoming?: (data: Encoded, row: number, similarity: NameSimilarity) => number;
  /** Keys shared by more existing rows than this are skipped (a date of birth alone in a big school). */
  maxBlock: number;
}

const sortedNames = (data: Encoded, row: number, extra: number) => {
  const a = data.given[row]!;
  const b = data.family[row]!;
  return a <= b ? key(a, b, extra) : key(b, a, extra);
};

// The rules without a date (both names; a name and the start of the other) catch a name typo
// and a date slip together. Their blocks are kept small (10 rows): larger ones fill up with
// common surnames and a common start ("oli"), a third of a million-record roster's
// candidates, and lose no pair the benchmarks find.
export const BLOCKING_RULES: BlockingRule[] = [
  { name: "date of birth and family name", existing: (d, r) => key(d.dobDigits[r]!, d.family[r]!), maxBlock: 200 },
  { name: "date of birth and given name", existing: (d, r) => key(d.dobDigits[r]!, d.given[r]!), maxBlock: 200 },
  { name: "both names (either order) and birth year", existing: (d, r) => sortedNames(d, r, year(d.dobDigits[r]!)), maxBlock: 200 },
  { name: "both names (either order)", existing: (d, r) => sortedNames(d, r, 0), maxBlock: 10 },
  {
    name: "day and month swapped, and family name",
    existing: (d, r) => key(d.dobDigits[r]!, d.family[r]!),
    incoming: (d, r) => key(swappedDate(d.dobDigits[r]!), d.family[r]!),
    maxBlock: 200,
  },
  { name: "date of birth", existing: (d, r) => key(d.dobDigits[r]!, 1), maxBlock: 8 },
  {
    name: "given name sound and family name sound, and birth year",
    existing: (d, r, s) => key(s.soundId(d.given[r]!), s.soundId(d.family[r]!), year(d.dobDigits[r]!)),
    maxBlock: 100,
  },
  { name: "family name and the start of the given name", existing: (d, r, s) => key(d.family[r]!, s.prefixId(d.given[r]!, 3), 6), maxBlock: 10 },
  { name: "given name and the start of the family name", existing: (d, r, s) => key(d.given[r]!, s.prefixId(d.family[r]!, 3), 7), maxBlock: 10 },
  { name: "school identifier", existing: (d, r) => key(d.stateId[r]!, 2), maxBlock: 5 },
  { name: "student number", existing: (d, r) => key(d.studentNumber[r]!, 3), maxBlock: 5 },
  { name: "UPN", existing: (d, r) => key(d.upn[r]!, 4), maxBlock: 5 },
  { name: "email", existing: (d, r) => key(d.email[r]!, 5), maxBlock: 5 },
  { name: "postcode and given name", existing: (d, r) => key(d.postcode[r]!, d.given[r]!), maxBlock: 20 },
  { name: "postcode and family name", existing: (d, r) => key(d.postcode[r]!, d.family[r]!, 9), maxBlock: 20 },
  { name: "address", existing: (d, r) => key(d.address[r]!, 10), maxBlock: 5 },
];

/** Growable pairs of row numbers (incoming, existing). */
export class Pairs {
  incoming = new Int32Array(1024);
  existing = new Int32Array(1024);
  length = 0;
  append(other: Pairs): void {
    for (let index = 0; index < other.length; index++) this.push(other.incoming[index]!, other.existing[index]!);
  }

  push(incoming: number, existing: number): void {
    if (this.length === this.incoming.length) {
      this.incoming = withLength(this.incoming, this.length + 1);
      this.existing = withLength(this.existing, this.length + 1);
    }
    this.incoming[this.length] = incoming;
    this.existing[this.length++] = existing;
  }
}

/** A growable list of numbers in a typed array (a million pair codes do not fit a JS array cheaply). */
class Codes {
  values = new Float64Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) this.values = withLength(this.values, this.length + 1);
    this.values[this.length++] = value;
  }
}

/**
 * Every candidate pair between the incoming rows and the existing rows still free, each once.
 * `skipIncoming` / `skipExisting` mark rows already settled (by identifiers).
 *
 * Per rule, each existing row's key and row number are packed into one float (the key cut to
 * the bits the row number leaves free), so a native numeric sort groups the rows by key; each
 * incoming key then finds its run by binary search. Cutting a key can merge two blocks, which
 * only adds candidates that scoring then rejects.
 */
export function candidatePairs(
  incoming: Encoded,
  existing: Encoded,
  similarity: NameSimilarity,
  skipIncoming: Uint8Array,
  skipExisting: Uint8Array,
  rules = BLOCKING_RULES,
): Pairs {
  const rowSpace = 2 ** Math.max(1, Math.ceil(Math.log2(existing.size + 1)));
  const keySpace = 2 ** 52 / rowSpace;
  const codes = new Codes();
  const packed = new Float64Array(existing.size);
  for (const rule of rules) {
    let count = 0;
    for (let row = 0; row < existing.size; row++) {
      if (skipExisting[row]) continue;
      const key = rule.existing(existing, row, similarity);
      if (key >= 0) packed[count++] = (key % keySpace) * rowSpace + row;
    }
    const sorted = packed.subarray(0, count).sort();
    const incomingKey = rule.incoming ?? rule.existing;
    for (let row = 0; row < incoming.size; row++) {
      if (skipIncoming[row]) continue;
      const key = incomingKey(incoming, row, similarity);
      if (key < 0) continue;
      const wanted = (key % keySpace) * rowSpace;
      const limit = wanted + rowSpace;
      const low = lowerBound(sorted, wanted);
      let end = low;
      while (end < count && sorted[end]! < limit) end++;
      if (end - low > rule.maxBlock) continue;
      // The two rows, packed (src/lib/compact/pack.ts).
      for (let at = low; at < end; at++) codes.push(row * PACK_BASE + (sorted[at]! - wanted));
    }
  }
  const unique = codes.values.subarray(0, codes.length).sort();
  const pairs = new Pairs();
  for (let index = 0; index < unique.length; index++) {
    if (index > 0 && unique[index] === unique[index - 1]) continue;
    const code = unique[index]!;
    pairs.push(Math.floor(code / PACK_BASE), code % PACK_BASE);
  }
  return pairs;
}

const unique = (name: string, existing: BlockingRule["existing"]): BlockingRule => ({ name, existing, maxBlock: 1 });

/** The lowest spelling similarity the given-name comparison counts as alike. */
const ALIKE = Math.min(
  ...COMPARISONS.find((spec) => spec.field === "givenName")!.levels.flatMap((level) => (level.kind === "jaroWinkler" ? [level.threshold!] : [])),
);

/**
 * An identifier in common pairs two rows directly when a date of birth or a name agrees too;
 * with none of them it is not enough to skip blocking. Nor when the pair looks like twins
 * (same birthday and family name, given names not alike): a twin typed in with the other's
 * number must still be blocked against her own record.
 */
function confirmsIdentifier(incoming: Encoded, existing: Encoded, a: number, b: number, similarity: NameSimilarity): boolean {
  const same = (left: Int32Array, right: Int32Array) => left[a]! >= 0 && left[a] === right[b];
  const [sameBirthday, sameFamily, sameGiven] = [
    same(incoming.dobDigits, existing.dobDigits),
    same(incoming.family, existing.family),
    same(incoming.given, existing.given),
  ];
  if (!sameBirthday && !sameFamily && !sameGiven) return false;
  if (!sameBirthday || !sameFamily || sameGiven) return true;
  const [given, otherGiven] = [incoming.given[a]!, existing.given[b]!];
  return given < 0 || otherGiven < 0 || similarity.nicknames(given, otherGiven) || similarity.jaroWinkler(given, otherGiven) >= ALIKE;
}

/**
 * Keys that pair rows directly when exactly one row on each side holds them: the same names
 * and date of birth (most children of a roster carried over from last year), then a strong
 * identifier in common (a child whose student number stayed but whose name was mistyped, so
 * the identifier tier could not confirm it), as `confirmsIdentifier` allows.
 */
export const DIRECT_RULES: { rule: BlockingRule; keep?: typeof confirmsIdentifier }[] = [
  { rule: unique("same names and date of birth", (d, r) => key(d.given[r]!, d.family[r]!, d.dobDigits[r]!)) },
  { rule: unique("same UPN", (d, r) => key(d.upn[r]!, 4)), keep: confirmsIdentifier },
  { rule: unique("same state id", (d, r) => key(d.stateId[r]!, 2)), keep: confirmsIdentifier },
  { rule: unique("same student number", (d, r) => key(d.studentNumber[r]!, 3)), keep: confirmsIdentifier },
  { rule: unique("same source id", (d, r) => key(d.sourceId[r]!, 11)), keep: confirmsIdentifier },
];

/**
 * Pairs that share a direct rule's key where no other record on either side does. They are
 * still scored like any candidate, but their rows need no further blocking, which keeps the
 * candidate count near the number of changed records instead of the number of records.
 * Rows paired by one rule are skipped by the next (`skipIncoming` / `skipExisting` are updated).
 */
export function directPairs(incoming: Encoded, existing: Encoded, similarity: NameSimilarity, skipIncoming: Uint8Array, skipExisting: Uint8Array): Pairs {
  const pairs = new Pairs();
  for (const { rule, keep } of DIRECT_RULES) {
    const forward = candidatePairs(incoming, existing, similarity, skipIncoming, skipExisting, [rule]);
    if (!forward.length) continue;
    const backward = candidatePairs(existing, incoming, similarity, skipExisting, skipIncoming, [rule]);
    // The backward pairs as sorted codes, searched by halving: a Set of a million numbers costs far more memory.
    const uniqueBothWays = new Float64Array(backward.length);
    for (let index = 0; index < backward.length; index++) uniqueBothWays[index] = backward.existing[index]! * PACK_BASE + backward.incoming[index]!;
    uniqueBothWays.sort();
    for (let index = 0; index < forward.length; index++) {
      const [a, b] = [forward.incoming[index]!, forward.existing[index]!];
      if (!sortedIncludes(uniqueBothWays, a * PACK_BASE + b) || (keep && !keep(incoming, existing, a, b, similarity))) continue;
      pairs.push(a, b);
      skipIncoming[a] = 1;
      skipExisting[b] = 1;
    }
  }
  return pairs;
}

/** The first index of `sorted` whose value is not below `value` (its length when none). */
function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function sortedIncludes(sorted: Float64Array, value: number): boolean {
  const at = lowerBound(sorted, value);
  return at < sorted.length && sorted[at] === value;
}
