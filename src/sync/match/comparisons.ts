/**
 * The comparisons, as data (matching.md section 6): for each field, its levels in order (the
 * first that holds wins), each with the kind of condition it tests, default m and u
 * probabilities used until the data says otherwise, a label, and flags: `tf` (agreeing on a
 * rare value counts more) and `twins` (the level's part in the twins guard). A level's weight
 * is log2(m / u); a missing value on either side scores 0. Each kind of condition is
 * evaluated by its kind (the evaluators below), never by where a level sits in its list;
 * every list ends with "else", the level of two values that are simply different.
 */
import type { Encoded } from "./encode.ts";
import { UNKNOWN_GRADE } from "./normalise.ts";
import type { NameSimilarity } from "./similarity.ts";

export type LevelKind =
  | "exact"
  | "preferred"
  | "nickname"
  | "jaroWinkler"
  | "soundsAlike"
  | "sharesPart"
  | "initial"
  | "dateSwapped"
  | "dateOneDigit"
  | "dateWithinDays"
  | "sameYear"
  | "promoted"
  | "gradeWithin"
  | "else";

export interface LevelSpec {
  kind: LevelKind;
  label: string;
  threshold?: number;
  /** Defaults: P(level | same child) and P(level | different children). */
  m: number;
  u: number;
  /** Term-frequency adjustment: agreeing on a rare value counts more than on a common one. */
  tf?: boolean;
  /**
   * The twins guard: a pair at "same" levels of every comparison that has one (birthday, family
   * name, school) and at a "different" level (given name) is two children, never merged.
   */
  twins?: "same" | "different";
}

export type Field =
  | "givenName"
  | "familyName"
  | "dateOfBirth"
  | "yearForAge"
  | "gender"
  | "yearGroup"
  | "school"
  | "email"
  | "postcode"
  | "address"
  | "identifier";

export interface ComparisonSpec {
  field: Field;
  /** A name comparison, and which name: read crossed when names may be swapped, and its tf table. */
  name?: "given" | "family";
  levels: LevelSpec[];
}

/** A name's levels; `twins` marks the levels that take part in the twins guard. */
const NAME_LEVELS = (what: string, twins: { same?: LevelKind[]; different?: LevelKind[] }): LevelSpec[] =>
  (
    [
      { kind: "exact", label: `Same ${what}`, m: 0.82, u: 0.004, tf: true },
      { kind: "preferred", label: `Same ${what} (one record's preferred name)`, m: 0.02, u: 0.001 },
      { kind: "nickname", label: "Nickname of each other (Bill / William)", m: 0.02, u: 0.001 },
      { kind: "jaroWinkler", threshold: 0.92, label: "Nearly the same spelling (a typo)", m: 0.06, u: 0.003 },
      { kind: "sharesPart", label: "Shares part of a double or hyphenated name", m: 0.02, u: 0.001 },
      { kind: "jaroWinkler", threshold: 0.85, label: "Similar spelling", m: 0.02, u: 0.01 },
      { kind: "soundsAlike", label: "Sounds alike", m: 0.01, u: 0.01 },
      { kind: "initial", label: "An initial of the other", m: 0.005, u: 0.004 },
      { kind: "else", label: "Different", m: 0.025, u: 0.967 },
    ] satisfies LevelSpec[]
  ).map((level): LevelSpec => {
    const role = twins.same?.includes(level.kind) ? "same" : twins.different?.includes(level.kind) ? "different" : undefined;
    return role ? { ...level, twins: role } : level;
  });

/** A field that either agrees or not: m and u of the "else" level are what the "exact" level leaves. */
function agreeOrNot(field: Field, same: string, different: string, m: number, u: number, twins?: "same"): ComparisonSpec {
  return {
    field,
    levels: [
      { kind: "exact", label: same, m, u, ...(twins ? { twins } : {}) },
      { kind: "else", label: different, m: 1 - m, u: 1 - u },
    ],
  };
}

export const COMPARISONS: ComparisonSpec[] = [
  { field: "givenName", name: "given", levels: NAME_LEVELS("given name", { different: ["else", "initial", "soundsAlike"] }) },
  { field: "familyName", name: "family", levels: NAME_LEVELS("family name", { same: ["exact"] }) },
  {
    field: "dateOfBirth",
    levels: [
      { kind: "exact", label: "Same date of birth", m: 0.9, u: 0.0004, twins: "same" },
      { kind: "dateSwapped", label: "Day and month swapped", m: 0.02, u: 0.00003 },
      { kind: "dateOneDigit", label: "One digit different (a typo)", m: 0.04, u: 0.002 },
      { kind: "dateWithinDays", threshold: 31, label: "Within a month", m: 0.01, u: 0.01 },
      { kind: "sameYear", label: "Same year of birth", m: 0.01, u: 0.05 },
      { kind: "else", label: "Different", m: 0.02, u: 0.9376 },
    ],
  },
  {
    field: "yearGroup",
    levels: [
      { kind: "exact", label: "Same year group", m: 0.6, u: 0.08 },
      { kind: "promoted", label: "The next year group (moved up a year)", m: 0.35, u: 0.08 },
      { kind: "gradeWithin", threshold: 1, label: "One year group apart", m: 0.03, u: 0.08 },
      { kind: "else", label: "Different year group", m: 0.02, u: 0.76 },
    ],
  },
  {
    // The incoming year group against the one the existing record's date of birth puts a child in.
    field: "yearForAge",
    levels: [
      { kind: "exact", label: "In the year group expected for the other record's date of birth", m: 0.85, u: 0.1 },
      { kind: "gradeWithin", threshold: 1, label: "One year from the year group expected for the other record's date of birth", m: 0.12, u: 0.18 },
      { kind: "else", label: "Far from the year group expected for the other record's date of birth", m: 0.03, u: 0.72 },
    ],
  },
  agreeOrNot("gender", "Same gender", "Different gender", 0.97, 0.5),
  agreeOrNot("school", "Same school", "Different school", 0.9, 0.3, "same"),
  agreeOrNot("email", "Same email address", "Different email address", 0.8, 0.0001),
  agreeOrNot("postcode", "Same postcode", "Different postcode", 0.85, 0.01),
  {
    field: "address",
    levels: [
      { kind: "exact", label: "Same address", m: 0.75, u: 0.0005 },
      { kind: "jaroWinkler", threshold: 0.88, label: "Similar address", m: 0.15, u: 0.005 },
      { kind: "else", label: "Different address", m: 0.1, u: 0.9945 },
    ],
  },
  {
    field: "identifier",
    levels: [
      { kind: "exact", label: "Same school identifier (UPN, state id or student number)", m: 0.9, u: 0.00001 },
      { kind: "else", label: "Different school identifier", m: 0.1, u: 0.99999 },
    ],
  },
];

/** A pair's level when either side has no value: it adds nothing to the score. */
export const NULL_LEVEL = -1;

/** The (first) level of a kind in a list; -1 when the list has none. */
export const levelIndexOf = (levels: readonly LevelSpec[], kind: LevelKind): number => levels.findIndex((level) => level.kind === kind);

/** Every comparison ends with "else": the evaluators fall through to it. */
for (const spec of COMPARISONS) if (spec.levels.at(-1)?.kind !== "else") throw new Error(`comparisons: ${spec.field} must end with an "else" level`);

const ID_COLUMNS = ["upn", "stateId", "studentNumber"] as const;

/** A comparison bound to two encoded sides: the level of (incoming row, existing row). */
export type PairLevel = (ar: number, br: number, swapped: boolean) => number;

/**
 * A comparison bound to its columns once, so scoring millions of pairs reads typed arrays
 * directly. With `swapped`, b's given and family names trade places.
 */
export function compileComparison(spec: ComparisonSpec, a: Encoded, b: Encoded, similarity: NameSimilarity): PairLevel {
  const levels = spec.levels;
  const exact = levelIndexOf(levels, "exact");
  const different = levelIndexOf(levels, "else");
  switch (spec.field) {
    case "givenName":
    case "familyName": {
      const given = spec.field === "givenName";
      const [aName, aPreferred] = given ? [a.given, a.preferredGiven] : [a.family, a.preferredFamily];
      const [bName, bPreferred] = given ? [b.given, b.preferredGiven] : [b.family, b.preferredFamily];
      const [bCrossed, bCrossedPreferred] = given ? [b.family, b.preferredFamily] : [b.given, b.preferredGiven];
      return (ar, br, swapped) => {
        const left = aName[ar]!;
        const right = swapped ? bCrossed[br]! : bName[br]!;
        if (left < 0 || right < 0) return NULL_LEVEL;
        if (left === right) return exact;
        const leftPreferred = aPreferred[ar]!;
        const rightPreferred = swapped ? bCrossedPreferred[br]! : bPreferred[br]!;
        // Without preferred names the level depends only on the two names: worked out once per pair of names.
        if (leftPreferred < 0 && rightPreferred < 0) return similarity.memo(levels, left, right, () => nameLevel(levels, left, right, -1, -1, similarity));
        return nameLevel(levels, left, right, leftPreferred, rightPreferred, similarity);
      };
    }
    case "dateOfBirth":
      return (ar, br) => dateLevel(levels, a.dobDigits[ar]!, b.dobDigits[br]!, a.dobDay[ar]!, b.dobDay[br]!);
    case "yearGroup":
      return (ar, br) => gradeLevel(levels, a.grade[ar]!, b.grade[br]!);
    case "yearForAge":
      // The incoming year group against the year group the existing record's birthday puts it in.
      return (ar, br) => (b.cohort[br]! < 0 || a.gradeNorm < 0 ? NULL_LEVEL : gradeLevel(levels, a.grade[ar]!, a.gradeNorm - b.cohort[br]!));
    case "identifier": {
      const columns = ID_COLUMNS.map((column) => [a[column], b[column]] as const);
      return (ar, br) => {
        let compared = false;
        for (const [left, right] of columns) {
          if (left[ar]! < 0 || right[br]! < 0) continue;
          if (left[ar] === right[br]) return exact;
          compared = true;
        }
        return compared ? different : NULL_LEVEL;
      };
    }
    case "address":
      return (ar, br) => {
        const left = a.address[ar]!;
        const right = b.address[br]!;
        if (left < 0 || right < 0) return NULL_LEVEL;
        return left === right ? exact : similarity.memo(levels, left, right, () => nameLevel(levels, left, right, -1, -1, similarity));
      };
    default: {
      const aColumn = a[spec.field];
      const bColumn = b[spec.field];
      return (ar, br) => {
        const left = aColumn[ar]!;
        const right = bColumn[br]!;
        if (left < 0 || right < 0) return NULL_LEVEL;
        return left === right ? exact : different;
      };
    }
  }
}

/** One pair's level for one comparison (tests and one-off explanations; scoring compiles once). */
export function levelOf(spec: ComparisonSpec, a: Encoded, ar: number, b: Encoded, br: number, similarity: NameSimilarity, swapped: boolean): number {
  return compileComparison(spec, a, b, similarity)(ar, br, swapped);
}

function nameLevel(levels: LevelSpec[], a: number, b: number, aPreferred: number, bPreferred: number, similarity: NameSimilarity): number {
  let jaroWinkler = -1; // worked out at most once, for the first level that needs it
  for (let index = 0; index < levels.length; index++) {
    const level = levels[index]!;
    switch (level.kind) {
      case "exact":
        if (a === b) return index;
        break;
      case "preferred":
        if ((aPreferred >= 0 && (aPreferred === b || aPreferred === bPreferred)) || (bPreferred >= 0 && bPreferred === a)) return index;
        break;
      case "nickname":
        if (similarity.nicknames(a, b)) return index;
        break;
      case "jaroWinkler":
        if (jaroWinkler < 0) jaroWinkler = similarity.jaroWinkler(a, b);
        if (jaroWinkler >= level.threshold!) return index;
        break;
      case "soundsAlike":
        if (similarity.soundsAlike(a, b)) return index;
        break;
      case "sharesPart":
        if (similarity.sharesPart(a, b)) return index;
        break;
      case "initial":
        if (similarity.initialOf(a, b)) return index;
        break;
      case "else":
        return index;
    }
  }
  return levelIndexOf(levels, "else");
}

function dateLevel(levels: LevelSpec[], a: number, b: number, aDay: number, bDay: number): number {
  if (a < 0 || b < 0) return NULL_LEVEL;
  for (let index = 0; index < levels.length; index++) {
    const level = levels[index]!;
    switch (level.kind) {
      case "exact":
        if (a === b) return index;
        break;
      case "dateSwapped": {
        const year = Math.floor(a / 10_000);
        const month = Math.floor(a / 100) % 100;
        const day = a % 100;
        if (month !== day && b === year * 10_000 + day * 100 + month) return index;
        break;
      }
      case "dateOneDigit":
        if (differentDigits(a, b) === 1) return index;
        break;
      case "dateWithinDays":
        if (Math.abs(aDay - bDay) <= level.threshold!) return index;
        break;
      case "sameYear":
        if (Math.floor(a / 10_000) === Math.floor(b / 10_000)) return index;
        break;
      case "else":
        return index;
    }
  }
  return levelIndexOf(levels, "else");
}

function differentDigits(a: number, b: number): number {
  let count = 0;
  for (let x = a, y = b; x > 0 || y > 0; x = Math.floor(x / 10), y = Math.floor(y / 10)) if (x % 10 !== y % 10) count++;
  return count;
}

function gradeLevel(levels: LevelSpec[], incoming: number, existing: number): number {
  if (incoming === UNKNOWN_GRADE || existing === UNKNOWN_GRADE) return NULL_LEVEL;
  for (let index = 0; index < levels.length; index++) {
    const level = levels[index]!;
    if (level.kind === "exact" && incoming === existing) return index;
    if (level.kind === "promoted" && incoming === existing + 1) return index;
    if (level.kind === "gradeWithin" && Math.abs(incoming - existing) <= level.threshold!) return index;
    if (level.kind === "else") return index;
  }
  return levelIndexOf(levels, "else");
}
