/**
 * The inputs and output of reconcile. Everything here is plain data: the runner loads the
 * current roster into these shapes, reconcile (a pure function) turns them into a Plan, and
 * apply writes the Plan.
 */
import type { ClassTextField, EducatorTextField, LearnerTextField, SchoolTextField } from "../../roster/fields.ts";
import type { Source } from "../../roster/sources.ts";
import type { PlanCounts, ReviewStatus } from "../../run-record.ts";
import type { Problem, SnapshotMode } from "../../roster/snapshot.ts";
import type { Explanation, LearnerMatcher } from "../match/types.ts";
import type { ScopedSnapshot } from "../policy/scope.ts";

export type PlanEntity = "learner" | "educator" | "class" | "enrolment";

/** The organization's settings that reconcile needs (ARCHITECTURE.md, "Settings"). */
export interface ReconcileSettings {
  allowRemoval: boolean;
  removalMode: "deactivate" | "remove";
  autoCarryover: boolean;
  allowClassNameOverride: boolean;
  /** Already checked against the licences: null when the chosen journey is not licensed. */
  defaultJourneyProductId: string | null;
  mayMatchPolicy: "hold" | "auto_accept";
  autoAcceptProbability: number;
  /** The school year (ending year) grade placement works from, e.g. 2026 for 2025/26. */
  schoolYear: number;
  country: string;
  /**
   * After the MIS user sync, the pupil addresses its admin confirmed, by source id: the only
   * ones a sync writes. Absent: addresses on the school's domain are written.
   */
  confirmedEmails?: ReadonlyMap<string, string> | null | undefined;
}

export type RunTriggerKind = "scheduled" | "sync_now" | "wizard" | "review" | "cli" | "undo";

// ---------------------------------------------------------------------------------------
// The current roster, as loaded for one organization and one source.

export interface LinkState {
  entityId: string;
  fingerprint: string;
  /** Status of the linked row: a link to an inactive row is not "Unchanged". */
  status: "active" | "inactive" | "removed" | "archived";
}

/**
 * The columns of a learner that a sync writes, in source terms (school by source id); made from
 * the snapshot record by the field list (src/roster/fields.ts), whose plain text fields it holds as they are.
 */
export interface LearnerFields extends Record<LearnerTextField, string | null> {
  schoolSourceId: string | null;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  gender: string | null;
  yearGroupCode: string | null;
  yearGroupLabel: string | null;
  formerUpns: string[] | null;
  demographics: Record<string, unknown> | null;
  /** False when the source has switched the account off: no access. */
  enabledInSource: boolean;
}

export interface CurrentLearner extends LearnerFields {
  id: string;
  status: "active" | "inactive" | "removed" | "archived";
  emailVerified: boolean;
  /** The row's school: its source id (schoolSourceId) is known only for schools linked to this source. */
  schoolId?: string | null;
}

export interface EducatorFields extends Record<EducatorTextField, string | null> {
  schoolSourceId: string | null;
  givenName: string;
  familyName: string;
}

export interface CurrentEducator extends EducatorFields {
  id: string;
  status: "active" | "inactive" | "removed" | "archived";
  schoolId?: string | null;
}

export interface ClassFields extends Record<ClassTextField, string | null> {
  schoolSourceId: string | null;
  kind: "registration_group" | "subject_class";
  name: string;
  gradeCodes: string[];
  academicSessionSourceId: string | null;
  /** The admin's name for the class, kept while the settings allow it; not from the source. */
  nameOverride: string | null;
}

export interface CurrentClass extends ClassFields {
  id: string;
  status: "active" | "inactive" | "removed" | "archived";
  membersDigest: string | null;
  schoolId?: string | null;
}

export interface CurrentRoster {
  source: Source;
  learnerLinks: ReadonlyMap<string, LinkState>;
  educatorLinks: ReadonlyMap<string, LinkState>;
  classLinks: ReadonlyMap<string, LinkState>;
  schoolLinks: ReadonlyMap<string, LinkState>;
  academicSessionLinks: ReadonlyMap<string, LinkState>;
  /** Rows of linked learners that reconcile may change: changed records, and links absent from scope. */
  linkedLearners: ReadonlyMap<string, CurrentLearner>;
  /** Active learners with no link to this source: candidates for Matched / May match. */
  unlinkedLearners: readonly CurrentLearner[];
  /** Archived learners (loaded only with auto-carryover on). */
  archivedLearners: readonly CurrentLearner[];
  educators: ReadonlyMap<string, CurrentEducator>;
  unlinkedEducators: readonly CurrentEducator[];
  classes: ReadonlyMap<string, CurrentClass>;
  unlinkedClasses: readonly CurrentClass[];
  schools: ReadonlyMap<string, CurrentSchool>;
  unlinkedSchools: readonly CurrentSchool[];
  academicSessions: ReadonlyMap<string, CurrentAcademicSession>;
  /** Current learner and educator members of the classes whose digest differs, or that leave. */
  classMembers: ReadonlyMap<string, { learnerIds: ReadonlySet<string>; educatorIds: ReadonlySet<string> }>;
}

/** Admins' answers to May match pairs, by incoming source id. */
export interface MatchDecision {
  learnerId: string;
  decision: "accepted" | "rejected";
}

export interface ReconcileInput {
  scoped: ScopedSnapshot;
  mode: SnapshotMode;
  /** A delta read's class places: each class's whole list, or only what changed (ReadSummary). A full read's are whole. */
  classPlaces?: "whole" | "changes" | undefined;
  state: CurrentRoster;
  settings: ReconcileSettings;
  decisions: ReadonlyMap<string, readonly MatchDecision[]>;
  trigger: RunTriggerKind;
  matcher: LearnerMatcher;
}

// ---------------------------------------------------------------------------------------
// The plan.

export type PlanAction = "create" | "update" | "link" | "restore" | "unlink" | "deactivate" | "remove" | "review";

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface PlanItem<Fields> {
  status: Exclude<ReviewStatus, "Unchanged">;
  action: PlanAction;
  sourceId: string | null;
  /** The existing row; null when the item creates one. */
  entityId: string | null;
  /** The full values to write (create, update, link, restore). */
  fields?: Fields | undefined;
  /** The fingerprint the link will hold afterwards. */
  fingerprint?: string | undefined;
  changes: FieldChange[];
  explanation?: ItemExplanation | undefined;
  /** A short, human label for lists. */
  label: string;
  /** Things an admin should look at, such as an email on another domain. */
  flags?: string[] | undefined;
  /** Values set only when the row is created (a new learner's grade placement and journey). */
  initial?: Record<string, unknown> | undefined;
}

/**
 * Why an item is what it is, as the run's page and the review show it: the matcher's own
 * explanation, or how reconcile decided without one.
 */
export type ItemExplanation =
  | Explanation
  | { matchedOn: string }
  | { confirmedByAdmin: true }
  | { rejectedByAdmin: string }
  | { autoAccepted: true; probability: number | undefined; match: Explanation | undefined };

export interface SchoolFields extends Record<SchoolTextField, string | null> {
  name: string;
  lowGrade: string | null;
  highGrade: string | null;
}

export interface AcademicSessionFields {
  title: string;
  type: string;
  startDate: string | null;
  endDate: string | null;
  schoolYear: number | null;
  schoolSourceId: string | null;
}

export interface CurrentSchool extends SchoolFields {
  id: string;
  status: "active" | "inactive" | "removed" | "archived";
}

export interface CurrentAcademicSession extends AcademicSessionFields {
  id: string;
  status: "active" | "inactive" | "removed" | "archived";
  schoolId?: string | null;
}

export interface Membership {
  classSourceId: string;
  personSourceId: string;
}

/** The people a class gains, grouped by class: five million enrolments stay five million pointers, not objects. */
export interface ClassAdditions {
  classSourceId: string;
  personSourceIds: string[];
}

export interface MembershipRemoval {
  classId: string;
  personId: string;
}

export interface Plan {
  mode: SnapshotMode;
  schools: PlanItem<SchoolFields>[];
  academicSessions: PlanItem<AcademicSessionFields>[];
  learners: PlanItem<LearnerFields>[];
  educators: PlanItem<EducatorFields>[];
  classes: PlanItem<ClassFields>[];
  /** Links whose fingerprint changed although no stored field did (no row is written for them). */
  learnerFingerprintRefresh: { sourceId: string; fingerprint: string }[];
  enrolments: { add: ClassAdditions[]; remove: MembershipRemoval[] };
  classEducators: { add: (Membership & { primary: boolean })[]; remove: MembershipRemoval[] };
  /** New members digests for classes whose membership changed (by class source id). */
  classDigests: Map<string, string>;
  counts: PlanCounts;
  problems: Problem[];
}
