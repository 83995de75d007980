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

/** YYYY-MM-DD as YYYYMMDD (for digit comparisons) and a day number (for distances); -1 when absent or malformed. */
export function encodeDate(raw: string | undefined | null): { digits: number; day: number } {
  const match = raw ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw) : null;
  if (!match) return { digits: -1, day: -1 };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return { digits: year * 10_000 + month * 100 + day, day: Math.floor(Date.UTC(year, month - 1, day) / 86_400_000) };
}

const GRADE_ORDER = ["InfantToddler", "Preschool", "PreKindergarten", "TransitionalKindergarten", "Kindergarten", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"];

/** A year group as a number on one scale (Kindergarten 0, grade 1 is 1); -99 when unknown. */
export function gradeOrdinal(raw: string | undefined | null): number {
  if (!raw) return -99;
  const index = GRADE_ORDER.indexOf(raw);
  return index < 0 ? -99 : index - 4;
}

/**
 * A value without surrounding white space. Nearly every identifier has none, and looking at
 * its two ends cost a fraction of `trim` (a call into the engine) over a million of them.
 */
export function trimmed(value: string): string {
  return value.length && value.charCodeAt(0) > 32 && value.charCodeAt(value.length - 1) > 32 ? value : value.trim();
}
