/**
 * Reading OneRoster values the way real files write them: statuses, booleans, date-times,
 * lists, grades, roles and enumerations, each tolerant of the common mistakes (TRUE, Female,
 * Scheduled, Student, Year 4) with a warning that says what the file should have said.
 * Dates have their own reader (dates.ts).
 */
import { cedsCode, isCedsCode, normaliseGrade } from "../../roster/normalise/index.ts";
import type { YearGroup } from "../../roster/snapshot.ts";
import type { Row } from "./csv.ts";
import type { FileMode } from "./manifest.ts";
import type { Problems } from "./problems.ts";

export type RowStatus = "active" | "deleted";

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The row's status, with the manifest's mode as the default and the row winning where they disagree. */
export function statusOf(row: Row, mode: FileMode, version: string, problems: Problems): RowStatus {
  const status = row.get("status");
  const modified = row.get("dateLastModified");
  if (mode === "bulk" && (status || modified))
    problems.once(
      "warning",
      row.file,
      row.line,
      "status",
      "has a status or dateLastModified in a file the manifest calls bulk (they should be empty there); the row's status was used",
    );
  if (mode === "delta" && (!status || !modified))
    problems.note(
      "warning",
      row.file,
      row.line,
      status ? "dateLastModified" : "status",
      "needs a status and a dateLastModified in a delta file; it was read as active",
    );
  if (modified && !DATE_TIME.test(modified)) {
    problems.once("warning", row.file, row.line, "dateLastModified", `"${modified}" is not a date-time in UTC like 2023-05-01T18:25:43.511Z`);
  }
  if (!status || status === "active") return "active";
  if (status === "tobedeleted" || (status === "inactive" && version === "1.0")) return "deleted";
  const lower = status.toLowerCase();
  if (lower === "active") {
    problems.oncePerValue("warning", row.file, row.line, "status", `"${status}" should be written "active" (values are case-sensitive); it was read as active`);
    return "active";
  }
  if (lower === "tobedeleted") {
    problems.oncePerValue(
      "warning",
      row.file,
      row.line,
      "status",
      `"${status}" should be written "tobedeleted" (values are case-sensitive); the row was read as a deletion`,
    );
    return "deleted";
  }
  if (lower === "inactive") {
    problems.note("warning", row.file, row.line, "status", `"${status}" is OneRoster 1.0's word for tobedeleted; the row was read as a deletion`);
    return "deleted";
  }
  problems.note("warning", row.file, row.line, "status", `"${status}" is not active or tobedeleted; the row was read as active`);
  return "active";
}

export function booleanOf(row: Row, field: string, problems: Problems): boolean | undefined {
  const value = row.get(field);
  if (!value) return undefined;
  if (value === "true" || value === "false") return value === "true";
  const lower = value.toLowerCase();
  if (lower === "true" || lower === "false") {
    problems.oncePerValue("warning", row.file, row.line, field, `"${value}" should be written ${lower}, in lower case; it was read as ${lower}`);
    return lower === "true";
  }
  problems.note("warning", row.file, row.line, field, `"${value}" is not true or false; it was ignored`);
  return undefined;
}

/** A list cell ("09,10", quoted when it has several values). */
export function listOf(row: Row, field: string): string[] {
  return row
    .get(field)
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

/** An enumeration, matched without regard to case (with a warning per file and value when the case is wrong). */
export function enumOf<T extends string>(row: Row, field: string, allowed: readonly T[], problems: Problems): T | undefined {
  const value = row.get(field);
  if (!value) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const match = allowed.find((option) => option.toLowerCase() === value.toLowerCase());
  if (match) {
    problems.oncePerValue("warning", row.file, row.line, field, `"${value}" should be written "${match}" (values are case-sensitive); it was read as ${match}`);
    return match;
  }
  if (value.startsWith("ext:")) return undefined;
  problems.note("warning", row.file, row.line, field, `"${value}" is not one of ${allowed.join(", ")}`);
  return undefined;
}

/** A grade list cell: CEDS codes as written; other grades the normaliser knows ("Year 4", "K", "9") with a warning per file and value. */
export function gradesOf(row: Row, field: string, problems: Problems): { grades: YearGroup[]; unknown: string[] } {
  const grades: YearGroup[] = [];
  const unknown: string[] = [];
  for (const label of listOf(row, field)) {
    const grade = normaliseGrade(label);
    if (!grade) {
      unknown.push(label);
      continue;
    }
    if (!isCedsCode(label))
      problems.oncePerValue(
        "warning",
        row.file,
        row.line,
        field,
        `"${label}" is not one of OneRoster's grade codes (KG, 01 to 13 and the like); it was read as ${cedsCode(grade.code)}`,
      );
    grades.push(grade);
  }
  return { grades, unknown };
}

/** Every role OneRoster names, in users.csv (1.0, 1.1), roles.csv (1.2) and enrollments.csv. */
const ROLES = [
  "administrator",
  "aide",
  "counselor",
  "districtAdministrator",
  "guardian",
  "parent",
  "principal",
  "proctor",
  "relative",
  "siteAdministrator",
  "student",
  "systemAdministrator",
  "teacher",
];
const ROLE_SET = new Set(ROLES);

/** A role as OneRoster spells it, read without regard to case (a warning per file and value when it is wrong); other roles as written. */
export function roleOf(row: Row, field: string, problems: Problems): string {
  const value = row.get(field);
  // Most rows are right: one look-up for them (an enrollments file has millions).
  if (ROLE_SET.has(value)) return value;
  const match = ROLES.find((role) => role.toLowerCase() === value.toLowerCase());
  if (match && match !== value)
    problems.oncePerValue("warning", row.file, row.line, field, `"${value}" should be written "${match}" (values are case-sensitive); it was read as ${match}`);
  return match ?? value;
}
