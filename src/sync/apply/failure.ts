/**
 * An apply that failed, told in the admin's words: which part of the roster was being saved,
 * which record when the database names the line of a COPY it refused, and why (from the
 * Postgres error code). Apply runs in one transaction, so a failure changed nothing.
 */
export type ApplyStep = "school" | "academicSession" | "class" | "educator" | "learner" | "enrolment" | "classEducator" | "access" | "finish";

const STEP_WORDS: Record<ApplyStep, string> = {
  school: "schools",
  academicSession: "school years and terms",
  class: "classes",
  educator: "educators",
  learner: "learners",
  enrolment: "learners' places in classes",
  classEducator: "teachers' places in classes",
  access: "learners' access",
  finish: "the sync's own record",
};

/** What a refused value or record is, by Postgres error code (SQLSTATE). */
const REASONS: Record<string, string> = {
  "22021": "holds a character that cannot be stored (an invisible NUL character, which usually comes from a broken export)",
  "22001": "has a value that is too long to store",
  "22003": "has a number that is out of range",
  "22007": "has a date or time in a form that cannot be stored",
  "22008": "has a date or time that does not exist",
  "22P02": "has a value in a form that cannot be stored",
  "22P04": "could not be read by the database",
  "23502": "is missing a value the roster needs",
  "23503": "refers to a record that is missing",
  "23505": "is there twice (two records have the same identifier)",
  "23514": "has a value that is not allowed",
};

export class ApplyFailed extends Error {
  constructor(
    readonly step: ApplyStep,
    override readonly cause: unknown,
    /** The record the database refused, by its id in the school's system, when known. */
    readonly sourceId?: string,
  ) {
    super(`apply failed while saving ${step}${sourceId ? ` (source id ${sourceId})` : ""}: ${operatorText(cause)}`);
    this.name = "ApplyFailed";
  }
}

/** The Postgres error code of a failure from either driver, if it has one. */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * For the operator log: the code and the message up to its first colon, because Postgres
 * quotes the refused value after it (a date of birth, a name) and logs hold no personal data.
 */
function operatorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = sqlState(error);
  return code ? `${code} ${message.split(":")[0]}` : message;
}

/** The line of a COPY the database refused ("COPY learners, line 3"), 1-based. */
export function copyLineOf(error: unknown): number | undefined {
  const where = (error as { where?: unknown } | null)?.where;
  const line = typeof where === "string" ? /^COPY \S+, line (\d+)/.exec(where)?.[1] : undefined;
  return line ? Number(line) : undefined;
}

/**
 * Runs one step of apply. A failure becomes an ApplyFailed for `step`; when it is a COPY that
 * names its line, `sourceIdAt(line - 1)` names the record.
 */
export async function applyStep<T>(step: ApplyStep, work: () => Promise<T>, sourceIdAt?: (index: number) => string | null | undefined): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApplyFailed) throw error;
    const line = copyLineOf(error);
    throw new ApplyFailed(step, error, (line && sourceIdAt?.(line - 1)) || undefined);
  }
}

/** The run page's words for a failed apply. */
export function applyFailureMessage(error: unknown): string {
  if (!(error instanceof ApplyFailed)) return "Saving the changes failed, so nothing was changed. Try again; if it happens again, tell your vendor.";
  const reason = REASONS[sqlState(error.cause) ?? ""];
  const where = `while saving ${STEP_WORDS[error.step]}`;
  if (!reason) return `Saving the changes failed ${where}, so nothing was changed. Try again; if it happens again, tell your vendor.`;
  const record = error.sourceId ? `the record with the id ${error.sourceId} in your school's system` : "one of the records";
  return `Saving the changes failed ${where}, so nothing was changed: ${record} ${reason}. Correct it in your school's system and sync again; if it happens again, tell your vendor.`;
}

/** The operator log's line for a failed apply: ids and codes, no personal data. */
export function applyFailureDetail(error: unknown): string {
  return error instanceof ApplyFailed ? error.message : `apply failed: ${operatorText(error)}`;
}
