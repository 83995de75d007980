/**
 * The identifier tier, on the records as they come (before any encoding): an incoming
 * record and an existing one that share a strong identifier (UPN or a former UPN, state id,
 * student number, source id) and have the same date of birth and the same names after
 * normalisation (a preferred name or a nickname counts for the given name) are the same
 * child. Done first and with plain maps, so a roster where most children keep their
 * student number costs a map lookup per child, and only the rest is encoded and scored.
 */
import type { MatchInput } from "./encode.ts";
import { areNicknames } from "./nicknames.ts";
import { normaliseName } from "./normalise.ts";

export const IDENTIFIERS = ["upn", "stateId", "studentNumber", "sourceId"] as const;
export type Identifier = (typeof IDENTIFIERS)[number];

export interface IdentifierPair {
  incoming: number;
  existing: number;
  identifier: Identifier;
  former: boolean;
}

// Identifiers are compared as the source writes them (UPNs arrive upper-cased from the normalisers).
const idKey = (value: string | undefined) => value?.trim() || undefined;

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

/** Confirmed pairs, each record in at most one; identifiers tried in order of strength. */
export function identifierPairs(incoming: readonly MatchInput[], existing: readonly MatchInput[]): IdentifierPair[] {
  const pairs: IdentifierPair[] = [];
  const takenIncoming = new Uint8Array(incoming.length);
  const takenExisting = new Uint8Array(existing.length);
  const tiers: { identifier: Identifier; former: boolean; keysOf: (record: MatchInput) => (string | undefined)[] }[] = [
    ...IDENTIFIERS.map((identifier) => ({ identifier, former: false, keysOf: (record: MatchInput) => [idKey(record[identifier])] })),
    { identifier: "upn", former: true, keysOf: (record) => (record.formerUpns ?? []).map(idKey) },
  ];
  for (const tier of tiers) {
    if (!incoming.some((record) => record[tier.identifier]) || !existing.some((record) => (tier.former ? record.formerUpns?.length : record[tier.identifier]))) continue;
    // key -> existing row; keys held by several rows are listed apart (rare, so one array per key would waste memory).
    const byKey = new Map<string, number>();
    const shared = new Map<string, number[]>();
    existing.forEach((record, row) => {
      if (takenExisting[row]) return;
      for (const key of tier.keysOf(record)) {
        if (!key) continue;
        const first = byKey.get(key);
        if (first === undefined) byKey.set(key, row);
        else shared.set(key, [...(shared.get(key) ?? [first]), row]);
      }
    });
    incoming.forEach((record, row) => {
      const key = idKey(record[tier.identifier]);
      if (takenIncoming[row] || !key) return;
      const first = byKey.get(key);
      if (first === undefined) return;
      const rows = shared.get(key) ?? [first];
      // An identifier shared by several records is not strong evidence of any one of them.
      if (rows.length > 3) return;
      const match = rows.find((candidate) => !takenExisting[candidate] && confirmed(record, existing[candidate]!));
      if (match === undefined) return;
      takenIncoming[row] = 1;
      takenExisting[match] = 1;
      pairs.push({ incoming: row, existing: match, identifier: tier.identifier, former: tier.former });
    });
  }
  return pairs;
}
