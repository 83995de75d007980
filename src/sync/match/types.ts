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

/** One field's part in a match score: its level, in words, and how much it moved the score. */
export interface FieldContribution {
  field: string;
  level: string;
  label: string;
  weight: number;
}

/** Why the matcher answered as it did: the tier, each field's contribution, the thresholds. */
export interface Explanation {
  tier: "exact" | "probabilistic";
  identifier?: string;
  prior?: number;
  fields: FieldContribution[];
  total?: number;
  probability?: number;
  thresholds: { matched: number; mayMatch: number };
  namesSwapped?: boolean;
}

export interface MatchResult {
  incomingId: string;
  status: "Matched" | "May match" | "New";
  existingId?: string | undefined;
  probability?: number | undefined;
  /** The waterfall: prior, each field's level and contribution, thresholds. */
  explanation?: Explanation | undefined;
}

export type LearnerMatcher = (incoming: MatchRecord[], existing: MatchRecord[]) => MatchResult[];

/** What the matcher reads: the sync's record, plus address fields some data sets carry. */
export interface MatchInput extends MatchRecord {
  postcode?: string | undefined;
  address?: string | undefined;
}
