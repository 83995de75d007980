/**
 * What a sync run records, as plain shapes every layer may read: sync works them out, the
 * database keeps them on the run's row, and views and email show them. No behaviour here
 * beyond making empty counts, so views can import it without reaching sync or the database
 * (src/ARCHITECTURE.md, "Layering").
 */

/** What a sync would do to each record, shown before it is applied (ARCHITECTURE.md, "Review statuses"). */
export const REVIEW_STATUSES = ["Synced", "Matched", "May match", "New", "Desynced", "Unchanged"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export type StatusCounts = Record<ReviewStatus, number>;
export type PlanCounts = Record<"learners" | "educators" | "classes" | "enrolments", StatusCounts>;

export function emptyCounts(): StatusCounts {
  return { Synced: 0, Matched: 0, "May match": 0, New: 0, Desynced: 0, Unchanged: 0 };
}

/** Records of a snapshot that the scope left out of a plan, by why (src/sync/policy/scope.ts counts them). */
export interface OutOfScope {
  scope: "grades" | "selection";
  /** Classes of grades that are not synced (or, in a selection, not chosen). */
  classes: number;
  /** Learners whose classes are all left out. */
  learnersInOtherClasses: number;
  /** Learners in no class, in a grade that is not synced. */
  learnersInOtherGrades: number;
  /** Learners in no class and with no grade: no grade rule takes them in. */
  learnersWithoutGrade: number;
  /** Learners in no class, not chosen in the selection. */
  learnersNotChosen: number;
  /** Educators who teach no class that is synced. */
  educators: number;
}

/** A run as the pages show it: the columns of sync_runs they read (a row of the table is one). */
export interface RunRecord {
  id: string;
  status: string;
  trigger: string;
  dryRun: boolean;
  createdAt: Date;
  finishedAt: Date | null;
  undoneAt: Date | null;
  /** Live progress: phase and records read. */
  progress: Record<string, unknown> | null;
  /** Counts by entity and review status. */
  counts: Record<string, Record<string, number>> | null;
  problemCount: number;
  outOfScope: OutOfScope | null;
  /** One reason a line. */
  holdReason: string | null;
  /** In the admin's words. */
  errorMessage: string | null;
  /** What the run read: "full" or "delta" (only what changed), and why (READ_REASONS). */
  readMode: string | null;
  readReason: string | null;
}
