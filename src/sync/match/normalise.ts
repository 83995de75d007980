/**
 * The forms the matcher compares: names without accents, case or punctuation (Zoë = Zoe,
 * O'Neil = ONeil, García-López = garcia lopez), and dates as day numbers and digits.
 */

export function normaliseName(raw: string | undefined | null): string {
  if (!raw) return "";
  if (plainLetters(raw)) return raw.toLowerCase();
  return raw
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’`.]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/**
 * Only ASCII letters and digits: nothing for the full normalisation to remove, so lower case
 * is the whole of it. Most names are like this, and the full path (Unicode decomposition and
 * four regular expressions) cost about twenty times more per name.
 */
function plainLetters(raw: string): boolean {
  for (let index = 0; index < raw.length; index++) {
    const code = raw.charCodeAt(index);
    if (!((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57))) return false;
  }
  return true;
}

/**
 * YYYY-MM-DD (surrounding space allowed) as the number YYYYMMDD, for digit comparisons; -1
 * when absent or malformed. Read digit by digit: a regular expression and a Map of the dates
 * seen cost about a fifth of encoding 400k records.
 */
export function dateDigits(raw: string | undefined | null): number {
  if (!raw) return -1;
  const value = trimmed(raw);
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return -1;
  let digits = 0;
  for (let index = 0; index < 10; index++) {
    if (index === 4 || index === 7) continue;
    const digit = value.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    digits = digits * 10 + digit;
  }
  return digits;
}

/** A YYYYMMDD date as a day number (days since 1970-01-01), for distances. */
export function dayNumber(digits: number): number {
  const year = Math.floor(digits / 10_000);
  const month = Math.floor(digits / 100) % 100;
  return Math.floor(Date.UTC(year, month - 1, digits % 100) / 86_400_000);
}

const GRADE_ORDER = [
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
];

/**
 * An unknown year group on the ordinal scale: far below every real one (pre-school is -4), so
 * no difference of real year groups can reach it.
 */
export const UNKNOWN_GRADE = -99;

/** A year group as a number on one scale (Kindergarten 0, grade 1 is 1); UNKNOWN_GRADE when unknown. */
export function gradeOrdinal(raw: string | undefined | null): number {
  if (!raw) return UNKNOWN_GRADE;
  const index = GRADE_ORDER.indexOf(raw);
  return index < 0 ? UNKNOWN_GRADE : index - 4;
}

/**
 * A value without surrounding white space. Nearly every identifier has none, and looking at
 * its two ends cost a fraction of `trim` (a call into the engine) over a million of them.
 */
export function trimmed(value: string): string {
  return value.length && value.charCodeAt(0) > 32 && value.charCodeAt(value.length - 1) > 32 ? value : value.trim();
}
