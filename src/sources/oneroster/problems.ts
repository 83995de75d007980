/**
 * Problems found while reading a OneRoster set, passed to the sink as they are found. The
 * same kind of problem on many rows (a whole file of TRUE instead of true) is reported
 * for its first rows, then summed up once, so the list stays readable for an admin.
 */
import type { Problem, ProblemSeverity, SnapshotSink } from "../../roster/snapshot.ts";

const ROWS_PER_KIND = 10;

export class Problems {
  private readonly seen = new Map<string, { count: number; first: Problem; limit: number }>();

  /** Columns a file lacks (already reported once, at line 1): its rows' problems in them are left out. */
  private readonly missing = new Map<string, Set<string>>();

  constructor(private readonly sink: SnapshotSink) {}

  missingColumns(file: string, columns: readonly string[]): void {
    this.missing.set(file, new Set(columns));
  }

  add(problem: Problem): void {
    if (this.isMissingColumn(problem.file, problem.field)) return;
    this.sink.problem(problem);
  }

  private isMissingColumn(file: string | undefined, field: string | undefined): boolean {
    return file !== undefined && field !== undefined && this.missing.get(file)?.has(field) === true;
  }

  /** A row-level problem that may repeat: reported for the first rows of its kind, then counted. */
  note(severity: ProblemSeverity, file: string, line: number, field: string | undefined, message: string, extra: Partial<Problem> = {}): void {
    this.count(ROWS_PER_KIND, severity, file, line, field, message, extra);
  }

  /** A problem that is the same on every row (a whole column in the wrong case): reported at its first row, then counted. */
  once(severity: ProblemSeverity, file: string, line: number, field: string | undefined, message: string): void {
    this.count(1, severity, file, line, field, message, {});
  }

  /** A value written wrongly on many rows ("Student" for student): reported once per file and value, at its first row, then counted. */
  oncePerValue(severity: ProblemSeverity, file: string, line: number, field: string | undefined, message: string): void {
    this.count(1, severity, file, line, field, message, {}, `${severity}|${file}|${message}`);
  }

  private count(
    limit: number,
    severity: ProblemSeverity,
    file: string,
    line: number,
    field: string | undefined,
    message: string,
    extra: Partial<Problem>,
    given?: string,
  ): void {
    if (this.isMissingColumn(file, field)) return;
    // Quoted values differ from row to row; the kind of problem does not.
    const key = given ?? `${severity}|${file}|${field ?? ""}|${message.replace(/"[^"]*"/g, '""')}`;
    const entry = this.seen.get(key);
    const problem: Problem = { severity, file, line, field, message, ...extra };
    if (!entry) this.seen.set(key, { count: 1, first: problem, limit });
    else entry.count++;
    // A "once" problem waits for finish(), which reports it with its count.
    if (limit > 1 && (entry?.count ?? 1) <= limit) this.sink.problem(problem);
  }

  /** Sums up the kinds that were cut short. */
  finish(): void {
    for (const { count, first, limit } of this.seen.values()) {
      if (limit === 1) {
        this.sink.problem(count > 1 ? { ...first, message: `${first.message} (on ${count} rows; this is the first)` } : first);
      } else if (count > limit) {
        this.sink.problem({
          ...first,
          message: `${first.message} (and ${count - limit} more row${count - limit === 1 ? "" : "s"} like this after line ${first.line})`,
        });
      }
    }
  }
}
