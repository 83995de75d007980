/**
 * The identifier tier, on the records as they come (before any encoding): an incoming
 * record and an existing one that share a strong identifier (UPN or a former UPN, state id,
 * student number, source id) and have the same date of birth and the same names after
 * normalisation (a preferred name or a nickname counts for the given name) are the same
 * child. Done first and with plain maps, so a roster where most children keep their
 * student number costs a map lookup per child, and only the rest is encoded and scored.
 */
import { fieldsHeld, type MatchInput } from "./encode.ts";
import { areNicknames } from "./nicknames.ts";
import { normaliseName, trimmed } from "./normalise.ts";
import { StringTable } from "../string-table.ts";

export const IDENTIFIERS = ["upn", "stateId", "studentNumber", "sourceId"] as const;
export type Identifier = (typeof IDENTIFIERS)[number];

export interface Tier {
  identifier: Identifier;
  /** Incoming UPN against an existing record's former UPNs. */
  former: boolean;
}

/** Identifiers in order of strength, then former UPNs. */
export const TIERS: readonly Tier[] = [...IDENTIFIERS.map((identifier) => ({ identifier, former: false })), { identifier: "upn", former: true }];

/** Per incoming row, its confirmed existing row (-1 when none) and the tier (an index of TIERS) that found it. */
export interface IdentifiedRows {
  existingOf: Int32Array;
  tierOf: Uint8Array;
  count: number;
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

/** Which tiers could pair anything. */
function usefulTiers(incoming: readonly MatchInput[], existing: readonly MatchInput[]): boolean[] {
  const incomingHolds = fieldsHeld(incoming);
  const existingHolds = fieldsHeld(existing);
  return TIERS.map(({ identifier, former }) => incomingHolds[identifier] && existingHolds[former ? "formerUpns" : identifier]);
}

/** Confirmed pairs, each record in at most one; identifiers tried in order of strength. */
export function identifierPairs(incoming: readonly MatchInput[], existing: readonly MatchInput[]): IdentifiedRows {
  const existingOf = new Int32Array(incoming.length).fill(-1);
  const tierOf = new Uint8Array(incoming.length);
  const takenExisting = new Uint8Array(existing.length);
  let count = 0;
  const useful = usefulTiers(incoming, existing);
  TIERS.forEach(({ identifier, former }, tier) => {
    if (!useful[tier]) return;
    // key -> existing row; keys held by several rows are listed apart (rare, so one array per key would waste memory).
    const keys = new StringTable(existing.length);
    const firstRow: number[] = [];
    const shared = new Map<number, number[]>();
    const add = (key: string | undefined, row: number) => {
      if (!key) return;
      const entry = keys.intern(key);
      if (entry === firstRow.length) firstRow.push(row);
      else shared.set(entry, [...(shared.get(entry) ?? [firstRow[entry]!]), row]);
    };
    for (let row = 0; row < existing.length; row++) {
      if (takenExisting[row]) continue;
      const record = existing[row]!;
      if (!former) add(idKey(record[identifier]), row);
      else for (const upn of record.formerUpns ?? []) add(idKey(upn), row);
    }
    for (let row = 0; row < incoming.length; row++) {
      const record = incoming[row]!;
      const key = existingOf[row]! >= 0 ? undefined : idKey(record[identifier]);
      if (!key) continue;
      const entry = keys.find(key);
      if (entry < 0) continue;
      const first = firstRow[entry]!;
      const several = shared.size ? shared.get(entry) : undefined;
      // An identifier shared by several records is not strong evidence of any one of them.
      if (several && several.length > 3) continue;
      const match = several ? several.find((candidate) => !takenExisting[candidate] && confirmed(record, existing[candidate]!)) : !takenExisting[first] && confirmed(record, existing[first]!) ? first : undefined;
      if (match === undefined) continue;
      existingOf[row] = match;
      tierOf[row] = tier;
      takenExisting[match] = 1;
      count++;
    }
  });
  return { existingOf, tierOf, count };
}
