/**
 * Grade placement: the starting level of a new learner, from the year group when the source
 * gives one, otherwise from the date of birth and the school year (ARCHITECTURE.md, "Vocabulary").
 * US children start kindergarten at 5 on 1 September; English children start Reception at 4
 * on 31 August (uk-mis.md 2.1), and Reception is normalised to Kindergarten.
 */
const GRADE_BY_OFFSET = ["Kindergarten", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"] as const;

export function expectedGrade(dateOfBirth: string, schoolYear: number, country: string): string | null {
  const [year, month, day] = dateOfBirth.split("-").map(Number) as [number, number, number];
  if (!year || !month || !day) return null;
  const uk = country === "GB";
  // Age on the cut-off date at the start of the school year (which ends in `schoolYear`).
  const cutoff = uk ? { month: 8, day: 31 } : { month: 9, day: 1 };
  const start = schoolYear - 1;
  let age = start - year;
  if (month > cutoff.month || (month === cutoff.month && day > cutoff.day)) age -= 1;
  const offset = age - (uk ? 4 : 5);
  if (offset === -1) return "PreKindergarten";
  if (offset === -2) return "Preschool";
  if (offset < -2) return "InfantToddler";
  return GRADE_BY_OFFSET[offset] ?? null;
}

export function gradePlacement(fields: { yearGroupCode: string | null; dateOfBirth: string | null }, schoolYear: number, country: string): string | null {
  if (fields.yearGroupCode && fields.yearGroupCode !== "Ungraded" && fields.yearGroupCode !== "Other") return fields.yearGroupCode;
  return fields.dateOfBirth ? expectedGrade(fields.dateOfBirth, schoolYear, country) : null;
}

/** The school year a date falls in, named by the calendar year it ends in (Sept-Aug). */
export function schoolYearOf(date: Date): number {
  return date.getUTCMonth() >= 7 ? date.getUTCFullYear() + 1 : date.getUTCFullYear();
}
