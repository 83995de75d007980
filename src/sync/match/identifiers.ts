/**
 * The identifier tier, on the records as they come (before any encoding): an incoming
 * record and an existing one that share a strong identifier (UPN or a former UPN, state id,
 * student number, source id) and have the same date of birth and the same names after
 * normalisation (a preferred name or a nickname counts for the given name) are the same
 * child. Done first, so a roster where most children keep their student number costs a
 * lookup per child, and only the rest is encoded and scored.
 *
 * Each record's strings are read once, in the order the records come: its identifiers are
 * hashed to 64 bits, and so are its date of birth, family and given names together (its
 * fingerprint). A pair whose key and fingerprint hashes both agree has the same identifier,
 * birthday and names as written, which is what confirming asks; any other pair is confirmed
 * from the records themselves. Trusting the hashes errs only where a child keeps an
 * identifier but not a birthday or name and the two fingerprints still collide (63 bits: about
 * once in 10^13 runs of a million pairs), or where two different identifiers and two different
 * fingerprints collide together (rarer still). Reading the existing record again instead would
 * cost a scattered read per string.
 */
import type { MatchInput } from "./types.ts";
import { Hash64 } from "../../lib/compact/hash.ts";
import { KeyIndex } from "../../lib/compact/key-index.ts";
import { areNicknames } from "./nicknames.ts";
import { normaliseName, trimmed } from "./normalise.ts";
import { BATCH } from "../../lib/compact/read-ahead.ts";
import { readAhead } from "./read-ahead.ts";

export const IDENTIFIERS = ["upn", "stateId", "studentNumber", "sourceId"] as const;
export type Identifier = (typeof IDENTIFIERS)[number];

export interface Tier {
  identifier: Identifier;
  /**
   * Whose former UPNs are compared: "existing", an incoming UPN against an existing record's
   * former ones; "incoming", an incoming record's former UPNs against existing UPNs (a temporary
   * UPN made permanent under a new MIS record).
   */
  former?: "existing" | "incoming" | undefined;
}

/** Identifiers in order of strength, then former UPNs either way. */
export const TIERS: readonly Tier[] = [
  ...IDENTIFIERS.map((identifier) => ({ identifier })),
  { identifier: "upn", former: "existing" },
  { identifier: "upn", former: "incoming" },
];
const INCOMING_FORMER_TIER = TIERS.findIndex((tier) => tier.former === "incoming");

/** Per incoming row, its confirmed existing row (-1 when none) and the tier (an index of TIERS) that found it. */
export interface IdentifiedRows {
  existingOf: Int32Array;
  tierOf: Uint8Array;
  count: number;
  /** Existing ids by existing row, read while the records were read in order (for the rows that hold an identifier). */
  existingIds: string[];
}

// Identifiers are compared as the source writes them (UPNs arrive upper-cased from the normalisers).
const idKey = (value: string | undefined) => (value ? trimmed(value) || undefined : undefined);

/** The same name, either as written or after normalisation. */
function sameName(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return a === b || normaliseName(a) === normaliseName(b);
}

function confirmed(incoming: MatchInput, existing: MatchInput): boolean {
  if (!incoming.dateOfBirth || !existing.dateOfBirth) return false;
  if (incoming.dateOfBirth !== existing.dateOfBirth && incoming.dateOfBirth.trim() !== existing.dateOfBirth.trim()) return false;
  const family =
    sameName(incoming.familyName, existing.familyName) ||
    sameName(incoming.preferredFamilyName, existing.familyName) ||
    sameName(incoming.familyName, existing.preferredFamilyName) ||
    sameName(incoming.preferredFamilyName, existing.preferredFamilyName);
  if (!family) return false;
  return (
    sameName(incoming.givenName, existing.givenName) ||
    sameName(incoming.preferredGivenName, existing.givenName) ||
    sameName(incoming.givenName, existing.preferredGivenName) ||
    sameName(incoming.preferredGivenName, existing.preferredGivenName) ||
    areNicknames(normaliseName(incoming.givenName), normaliseName(existing.givenName))
  );
}

/** Whether `record` holds `key` as the identifier the tier reads on an existing record. */
function holds(record: MatchInput, tier: Tier, key: string): boolean {
  return tier.former === "existing" ? (record.formerUpns ?? []).some((upn) => idKey(upn) === key) : idKey(record[tier.identifier]) === key;
}

/** Hashes of one identifier on every row of a side (`held` 0 where a row has none). */
interface HashedKeys {
  low: Int32Array;
  high: Int32Array;
  held: Uint8Array;
}

/** Date of birth, family and given name as written, as 64 bits a row (both 0 when one is missing). */
class Fingerprints {
  private readonly halves: Int32Array;
  constructor(size: number) {
    this.halves = new Int32Array(size * 2);
  }
  take(row: number, record: MatchInput, hash: Hash64): void {
    if (!record.dateOfBirth || !record.familyName || !record.givenName) return;
    hash.of(record.dateOfBirth).add(record.familyName).add(record.givenName);
    this.halves[row * 2] = hash.low;
    // A fingerprint of all zeros would read as missing: one bit of 64 is given up.
    this.halves[row * 2 + 1] = hash.high | 1;
  }
  same(row: number, other: Fingerprints, otherRow: number): boolean {
    const high = this.halves[row * 2 + 1]!;
    return high !== 0 && high === other.halves[otherRow * 2 + 1] && this.halves[row * 2] === other.halves[otherRow * 2];
  }
}

/** One pass over the incoming records: each identifier's hashes, and the fingerprint of every row holding one. */
function hashIncoming(incoming: readonly MatchInput[], hash: Hash64): { keys: Map<Identifier, HashedKeys>; fingerprints: Fingerprints } {
  const columns: (HashedKeys | undefined)[] = IDENTIFIERS.map(() => undefined);
  const fingerprints = new Fingerprints(incoming.length);
  // 1 when the row holds this identifier.
  const take = (position: number, value: string | undefined, row: number): number => {
    const key = idKey(value);
    if (!key) return 0;
    const column = (columns[position] ??= {
      low: new Int32Array(incoming.length),
      high: new Int32Array(incoming.length),
      held: new Uint8Array(incoming.length),
    });
    hash.of(key);
    column.low[row] = hash.low;
    column.high[row] = hash.high;
    column.held[row] = 1;
    return 1;
  };
  for (let row = 0; row < incoming.length; row++) {
    readAhead(incoming, row);
    const record = incoming[row]!;
    // Plain property reads: a loop over the identifiers' names cost about twice as much.
    const held = take(0, record.upn, row) + take(1, record.stateId, row) + take(2, record.studentNumber, row) + take(3, record.sourceId, row);
    if (held) fingerprints.take(row, record, hash);
  }
  const keys = new Map<Identifier, HashedKeys>();
  for (const [position, identifier] of IDENTIFIERS.entries()) {
    const column = columns[position];
    if (column) keys.set(identifier, column);
  }
  return { keys, fingerprints };
}

/**
 * What the tiers need of the existing records, read in order: each tier's identifier by hash,
 * and for a row holding any, its fingerprint and id (other rows can never be Matched here).
 */
class ExistingSide {
  private fingerprintsOf: Fingerprints | undefined;
  readonly ids: string[] = [];
  private read: Uint8Array | undefined;

  constructor(private readonly existing: readonly MatchInput[]) {}

  get fingerprints(): Fingerprints {
    return (this.fingerprintsOf ??= new Fingerprints(this.existing.length));
  }

  /** The tier's identifier on every existing row not yet taken. */
  index(tier: Tier, taken: Uint8Array, hash: Hash64): KeyIndex {
    const existing = this.existing;
    const index = new KeyIndex(existing.length);
    // Keys are added a batch at a time, their slots touched first (see KeyIndex.readAhead).
    const pending = { low: new Int32Array(BATCH), high: new Int32Array(BATCH), row: new Int32Array(BATCH), length: 0 };
    const addPending = () => {
      index.readAhead(pending.low, 0, pending.length);
      for (let at = 0; at < pending.length; at++) index.add(pending.low[at]!, pending.high[at]!, pending.row[at]!);
      pending.length = 0;
    };
    const add = (value: string | undefined, row: number) => {
      const key = idKey(value);
      if (!key) return;
      hash.of(key);
      pending.low[pending.length] = hash.low;
      pending.high[pending.length] = hash.high;
      pending.row[pending.length++] = row;
      this.remember(row, hash);
      if (pending.length === BATCH) addPending();
    };
    for (let row = 0; row < existing.length; row++) {
      readAhead(existing, row);
      if (taken[row]) continue;
      const record = existing[row]!;
      if (tier.former === "existing") for (const upn of record.formerUpns ?? []) add(upn, row);
      else add(record[tier.identifier], row);
    }
    addPending();
    return index;
  }

  private remember(row: number, hash: Hash64): void {
    const read = (this.read ??= new Uint8Array(this.existing.length));
    if (read[row]) return;
    read[row] = 1;
    const record = this.existing[row]!;
    this.ids[row] = record.id;
    this.fingerprints.take(row, record, hash);
  }
}

/** Confirmed pairs, each record in at most one; identifiers tried in order of strength. */
export function identifierPairs(incoming: readonly MatchInput[], existing: readonly MatchInput[]): IdentifiedRows {
  const existingOf = new Int32Array(incoming.length).fill(-1);
  const tierOf = new Uint8Array(incoming.length);
  const takenExisting = new Uint8Array(existing.length);
  let count = 0;
  const hash = new Hash64();
  const hashed = hashIncoming(incoming, hash);
  const side = new ExistingSide(existing);
  TIERS.forEach((tier, tierIndex) => {
    const keys = hashed.keys.get(tier.identifier);
    if (!keys || tier.former === "incoming") return;
    const index = side.index(tier, takenExisting, hash);
    if (!index.size) return;
    const { fingerprints } = side;
    for (let row = 0; row < incoming.length; row++) {
      if (row % BATCH === 0) index.readAhead(keys.low, row, Math.min(incoming.length, row + BATCH));
      if (!keys.held[row] || existingOf[row]! >= 0) continue;
      const low = keys.low[row]!;
      const high = keys.high[row]!;
      const only = index.onlyRow(low, high);
      let match = -1;
      if (only >= 0) {
        if (takenExisting[only]) continue;
        if (hashed.fingerprints.same(row, fingerprints, only) || confirmedFromRecords(incoming[row]!, existing[only]!, tier)) match = only;
      } else {
        // An identifier shared by several records is not strong evidence of any one of them.
        const holders = index.count(low, high);
        if (holders === 0 || holders > 3) continue;
        const record = incoming[row]!;
        match = index.rows(low, high).find((candidate) => !takenExisting[candidate] && confirmedFromRecords(record, existing[candidate]!, tier)) ?? -1;
      }
      if (match < 0) continue;
      existingOf[row] = match;
      tierOf[row] = tierIndex;
      takenExisting[match] = 1;
      count++;
    }
  });
  count += incomingFormerPairs(incoming, existing, { existingOf, tierOf, takenExisting, ids: side.ids });
  return { existingOf, tierOf, count, existingIds: side.ids };
}

/**
 * Incoming records that name a former UPN, against the existing records' UPNs: few records carry
 * one, so this is done from the records, after the hashed tiers.
 */
function incomingFormerPairs(
  incoming: readonly MatchInput[],
  existing: readonly MatchInput[],
  found: { existingOf: Int32Array; tierOf: Uint8Array; takenExisting: Uint8Array; ids: string[] },
): number {
  const naming = incoming.flatMap((record, row) => (record.formerUpns?.length && found.existingOf[row]! < 0 ? [row] : []));
  if (!naming.length) return 0;
  const byUpn = new Map<string, number[]>();
  existing.forEach((record, row) => {
    const key = idKey(record.upn);
    if (key && !found.takenExisting[row]) byUpn.set(key, [...(byUpn.get(key) ?? []), row]);
  });
  let count = 0;
  for (const row of naming) {
    const record = incoming[row]!;
    const candidates = record.formerUpns!.flatMap((upn) => byUpn.get(idKey(upn) ?? "") ?? []);
    const match = candidates.find((candidate) => !found.takenExisting[candidate] && confirmed(record, existing[candidate]!));
    if (match === undefined) continue;
    found.existingOf[row] = match;
    found.tierOf[row] = INCOMING_FORMER_TIER;
    found.takenExisting[match] = 1;
    found.ids[match] = existing[match]!.id;
    count++;
  }
  return count;
}

/** The slow way, from the records: the same identifier as written, then the birthday and names. */
function confirmedFromRecords(incoming: MatchInput, existing: MatchInput, tier: Tier): boolean {
  const key = idKey(incoming[tier.identifier]);
  return key !== undefined && holds(existing, tier, key) && confirmed(incoming, existing);
}
