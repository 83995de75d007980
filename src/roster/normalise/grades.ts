/**
 * Grades and year groups from every source to one code (GRADE_CODES), with the source's own
 * label kept beside it. England's years map by curriculum year: Reception is Kindergarten
 * (the first year of school, age 4 to 5; see src/sync/placement.ts), Nursery N2 (age 3 to 4)
 * is PreKindergarten, N1 (age 2 to 3) is Preschool; "Year 7" is grade 7 (uk-mis.md 2.1).
 */
import { GRADE_CODES, type GradeCode, type YearGroup } from "../snapshot.ts";

const CEDS: Record<string, GradeCode> = {
  IT: "InfantToddler",
  PR: "Preschool",
  PK: "PreKindergarten",
  TK: "TransitionalKindergarten",
  KG: "Kindergarten",
  PS: "PostGraduate",
  UG: "Ungraded",
  OTHER: "Other",
};

const UK: Record<string, GradeCode> = {
  R: "Kindergarten",
  RECEPTION: "Kindergarten",
  YR: "Kindergarten",
  FS2: "Kindergarten",
  N: "PreKindergarten",
  N2: "PreKindergarten",
  NURSERY: "PreKindergarten",
  FS1: "PreKindergarten",
  N1: "Preschool",
  K: "Kindergarten",
};

const byLowerCase = new Map(GRADE_CODES.map((code) => [code.toLowerCase(), code]));

function codeOf(raw: string): GradeCode | undefined {
  const exact = byLowerCase.get(raw.toLowerCase());
  if (exact) return exact;
  const upper = raw.toUpperCase();
  if (CEDS[upper]) return CEDS[upper];
  // "01".."13" (CEDS), "7", "Y7", "Year 7", "Grade 7", "Yr 7"
  const numbered = /^(?:YEAR|YR|Y|GRADE|GR)?\s*0?(\d{1,2})$/.exec(upper);
  if (numbered) {
    const number = Number(numbered[1]);
    return number >= 1 && number <= 13 ? (String(number) as GradeCode) : undefined;
  }
  // "Year R", "Year N2", "Girls Reception", "Reception Class"
  const words = upper
    .replace(/^YEAR\s+/, "")
    .replace(/^(GIRLS|BOYS)\s+/, "")
    .replace(/\s+CLASS$/, "");
  return UK[words] ?? (words.includes("RECEPTION") ? "Kindergarten" : undefined);
}

/** One grade; undefined for empty or unknown values (the caller decides whether that is a problem). */
export function normaliseGrade(raw: string | number | null | undefined): YearGroup | undefined {
  if (raw === null || raw === undefined) return undefined;
  const label = String(raw).trim().replace(/\s+/g, " ");
  if (!label) return undefined;
  const code = codeOf(label);
  return code ? { code, label } : undefined;
}

/** Multi-value cells ("09,10" in OneRoster) or arrays; unknown values are dropped. */
export function normaliseGrades(raw: string | readonly string[] | null | undefined): YearGroup[] {
  if (!raw) return [];
  const parts = typeof raw === "string" ? raw.split(",") : raw;
  return parts.map((part) => normaliseGrade(part)).filter((grade): grade is YearGroup => Boolean(grade));
}

/** The codes OneRoster 1.1 takes from CEDS (Entry Grade Level), exactly as written. */
const CEDS_CODES = new Set(["IT", "PR", "PK", "TK", "KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "PS", "UG", "Other"]);

export function isCedsCode(label: string): boolean {
  return CEDS_CODES.has(label);
}

/** A grade as the CEDS code OneRoster writes: "04", "KG", "Other". */
export function cedsCode(code: GradeCode): string {
  if (/^\d+$/.test(code)) return code.padStart(2, "0");
  const letters = Object.entries(CEDS).find(([, grade]) => grade === code)?.[0] ?? code;
  return letters === "OTHER" ? "Other" : letters;
}
