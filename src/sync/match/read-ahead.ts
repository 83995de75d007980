/**
 * The strings of a batch of match records, touched ahead of the work on them (see
 * src/lib/compact/read-ahead.ts for why).
 */
import { BATCH, firstCode as first, keep } from "../../lib/compact/read-ahead.ts";
import type { MatchInput } from "./types.ts";

/**
 * At the first row of each batch, touches the strings the matcher reads on the batch's records:
 * names, date of birth and identifiers, and with `everything` the fields encoding also reads.
 */
export function readAhead(records: readonly MatchInput[], row: number, everything = false): void {
  if (row % BATCH !== 0) return;
  let touched = 0;
  const end = Math.min(records.length, row + BATCH);
  for (let at = row; at < end; at++) {
    const record = records[at]!;
    touched +=
      first(record.givenName) +
      first(record.familyName) +
      first(record.dateOfBirth) +
      first(record.upn) +
      first(record.stateId) +
      first(record.studentNumber) +
      first(record.sourceId);
    if (everything)
      touched +=
        first(record.preferredGivenName) +
        first(record.preferredFamilyName) +
        first(record.gender) +
        first(record.yearGroup) +
        first(record.school) +
        first(record.email);
  }
  keep(touched);
}
