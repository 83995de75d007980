/**
 * What the matcher takes and gives: plain records in, one answer per incoming record out.
 * Reconcile builds the records from learners; the CLI and the benchmarks from CSV files.
 */

export interface MatchRecord {
  id: string;
  givenName: string;
  familyName: string;
  middleName?: string | undefined;
  preferredGivenName?: string | undefined;
  preferredFamilyName?: string | undefined;
  dateOfBirth?: string | undefined;
  gender?: string | undefined;
  yearGroup?: string | undefined;
  upn?: string | undefined;
  formerUpns?: string[] | undefined;
  stateId?: string | undefined;
  studentNumber?: string | undefined;
  sourceId?: string | undefined;
  email?: string | undefined;
  school?: string | undefined;
}

export interface MatchResult {
  incomingId: string;
  status: "Matched" | "May match" | "New";
  existingId?: string | undefined;
  probability?: number | undefined;
  /** The waterfall: prior, each field's level and contribution, thresholds. */
  explanation?: unknown;
}

export type LearnerMatcher = (incoming: MatchRecord[], existing: MatchRecord[]) => MatchResult[];

/** What the matcher reads: the sync's record, plus address fields some data sets carry. */
export interface MatchInput extends MatchRecord {
  postcode?: string | undefined;
  address?: string | undefined;
}
