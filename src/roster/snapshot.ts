/**
 * The snapshot: one complete, normalised read of a source (ARCHITECTURE.md, "Vocabulary").
 *
 * Every connector (Clever, OneRoster, Wonde, the demo district) produces records of
 * these shapes and hands them, one at a time, to a SnapshotSink. Nothing after the
 * connector knows which source the records came from.
 *
 * Why a sink and not an array: the largest districts have a million learners and five
 * million enrolments. A sink lets the CLI count without keeping anything, and lets the
 * sync engine keep a compact columnar copy (src/sync/snapshot/store.ts) instead of millions
 * of small objects.
 */
import type { ClassTextField, EducatorTextField, LearnerTextField, SchoolTextField } from "./fields.ts";

/** Normalised grade, shared by every source (ARCHITECTURE.md, "Vocabulary": year group). */
export const GRADE_CODES = [
  "InfantToddler",
  "Preschool",
  "PreKindergarten",
  "TransitionalKindergarten",
  "Kindergarten",
  "1",
  "2",
  "3",
  "4",
  "5",
  "6",
  "7",
  "8",
  "9",
  "10",
  "11",
  "12",
  "13",
  "PostGraduate",
  "Ungraded",
  "Other",
] as const;
export type GradeCode = (typeof GRADE_CODES)[number];

/** A normalised grade with the source's own label kept beside it ("Year R", "K", "N1"). */
export interface YearGroup {
  code: GradeCode;
  label: string;
}

export type SourceKind = "clever" | "oneroster" | "wonde";

export interface SnapshotSchool extends Partial<Record<SchoolTextField, string>> {
  sourceId: string;
  name: string;
  lowGrade?: YearGroup | undefined;
  highGrade?: YearGroup | undefined;
}

export type AcademicSessionType = "schoolYear" | "term" | "semester" | "gradingPeriod";

export interface SnapshotAcademicSession {
  sourceId: string;
  title: string;
  type: AcademicSessionType;
  /** ISO dates, YYYY-MM-DD. */
  startDate?: string | undefined;
  endDate?: string | undefined;
  /** The year the school year ends in (OneRoster's schoolYear), e.g. 2026 for 2025/26. */
  schoolYear?: number | undefined;
  parentSourceId?: string | undefined;
  schoolSourceId?: string | undefined;
}

export type ClassKind = "registration_group" | "subject_class";

export interface SnapshotClass extends Partial<Record<ClassTextField, string>> {
  sourceId: string;
  schoolSourceId: string;
  kind: ClassKind;
  name: string;
  /** Grades the class is for. */
  yearGroups: YearGroup[];
  academicSessionSourceIds: string[];
}

export type Gender = "female" | "male" | "other" | "unknown";

/** Shared only where the source shares them (Clever's demographic sharing, OneRoster demographics.csv). */
export interface Demographics {
  ethnicity?: string[] | undefined;
  hispanicOrLatino?: boolean | undefined;
  englishLanguageLearner?: boolean | undefined;
  specialEducation?: boolean | undefined;
  freeSchoolMeals?: boolean | undefined;
  homeLanguage?: string | undefined;
}

/** A learner as the source has them; the fields and their order are listed in fields.ts. */
export interface SnapshotLearner extends Partial<Record<LearnerTextField, string>> {
  sourceId: string;
  /** First entry is the primary school. */
  schoolSourceIds: string[];
  givenName: string;
  familyName: string;
  /** ISO date, YYYY-MM-DD. */
  dateOfBirth?: string | undefined;
  gender?: Gender | undefined;
  yearGroup?: YearGroup | undefined;
  formerUpns?: string[] | undefined;
  demographics?: Demographics | undefined;
  enabled?: boolean | undefined;
}

export interface SnapshotEducator extends Partial<Record<EducatorTextField, string>> {
  sourceId: string;
  schoolSourceIds: string[];
  givenName: string;
  familyName: string;
}

export type EnrolmentRole = "learner" | "educator";

export interface SnapshotEnrolment {
  classSourceId: string;
  /** The sourceId of a learner (role learner) or an educator (role educator). */
  personSourceId: string;
  role: EnrolmentRole;
  /** Lead teacher of the class. */
  primary?: boolean | undefined;
}

export type ProblemSeverity = "error" | "warning";

/**
 * A row-level problem, in words an office worker can act on.
 * An error means the row was dropped (the message says what depended on it);
 * a warning means the row was kept.
 */
export interface Problem {
  severity: ProblemSeverity;
  message: string;
  /** File name inside a zip, or an API path such as "/v3.0/users". */
  file?: string | undefined;
  /** 1-based; the CSV header is line 1. */
  line?: number | undefined;
  field?: string | undefined;
  entity?: "school" | "academicSession" | "class" | "learner" | "educator" | "enrolment" | undefined;
  sourceId?: string | undefined;
}

/** A record the source says is gone (Clever events, OneRoster delta status=tobedeleted, Wonde deletions). */
export interface Tombstone {
  entity: "school" | "academicSession" | "class" | "learner" | "educator" | "enrolment";
  sourceId: string;
  /** For enrolments, which have no id of their own in some sources. */
  classSourceId?: string | undefined;
  personSourceId?: string | undefined;
}

/**
 * A full read says "this is everything": whatever is linked and absent is Desynced.
 * A delta read (Clever events, OneRoster delta, Wonde updated_after) only says what changed:
 * records not mentioned are left alone, and only tombstones desync.
 */
export type SnapshotMode = "full" | "delta";

export interface SnapshotSink {
  school(record: SnapshotSchool): void;
  academicSession(record: SnapshotAcademicSession): void;
  class(record: SnapshotClass): void;
  learner(record: SnapshotLearner): void;
  educator(record: SnapshotEducator): void;
  enrolment(record: SnapshotEnrolment): void;
  tombstone(record: Tombstone): void;
  problem(problem: Problem): void;
  /** Progress for long reads: called now and then with what has been read so far. */
  progress?(phase: string, recordsRead: number): void;
}

/** What a connector returns when the read completed (a failed read throws ReadFailed instead). */
export interface ReadSummary {
  source: SourceKind;
  mode: SnapshotMode;
  /**
   * A cursor for the next incremental read, when the source has one:
   * Clever's newest event id (recorded before a full read starts), Wonde's read time.
   */
  cursor?: string | undefined;
  /**
   * In a delta read, what a class's places in it stand for: its whole list (Clever's section
   * events restate every member) or only what changed (OneRoster delta enrollments, Wonde's
   * changed students), which is the default because it never empties a class.
   */
  classPlaces?: "whole" | "changes" | undefined;
}

/**
 * The read could not complete: the snapshot must be thrown away, never used as a smaller roster
 * (safety rule 1). `message` is written for the admin ("Clever did not recognise the district ID
 * ...; check it on the connection page"); `detail` is for the operator log and holds no personal data.
 */
/**
 * Whose move a failed read waits for, so the admin's email says what to do: "settings", the
 * organization's (a wrong district or school ID, a school that has not approved the app);
 * "operator", whoever runs Rollcall (the vendor app's credentials); "unreachable", nobody's
 * (the source did not answer: the next scheduled sync tries again).
 */
export type FailureCause = "settings" | "operator" | "unreachable";

export class ReadFailed extends Error {
  /** Unset: the read itself went wrong (a damaged file, a page that did not parse). */
  failure: FailureCause | undefined;

  constructor(
    message: string,
    readonly detail?: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = "ReadFailed";
  }

  /** The same failure, marked with whose move it waits for. */
  because(failure: FailureCause): this {
    this.failure = failure;
    return this;
  }
}

export interface ReadOptions {
  signal?: AbortSignal | undefined;
}

export type EntityCounts = {
  schools: number;
  academicSessions: number;
  classes: number;
  learners: number;
  educators: number;
  enrolments: number;
};

/** A sink that keeps only counts and problems: what `rollcall read` prints. */
export class CountingSink implements SnapshotSink {
  readonly counts: EntityCounts = { schools: 0, academicSessions: 0, classes: 0, learners: 0, educators: 0, enrolments: 0 };
  readonly problems: Problem[] = [];
  tombstones = 0;
  school(): void {
    this.counts.schools++;
  }
  academicSession(): void {
    this.counts.academicSessions++;
  }
  class(): void {
    this.counts.classes++;
  }
  learner(): void {
    this.counts.learners++;
  }
  educator(): void {
    this.counts.educators++;
  }
  enrolment(): void {
    this.counts.enrolments++;
  }
  tombstone(): void {
    this.tombstones++;
  }
  problem(problem: Problem): void {
    this.problems.push(problem);
  }
}
