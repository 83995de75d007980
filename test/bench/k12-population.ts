/**
 * A generated K-12 population with known truth, for the matcher: last year's roster
 * ("existing") and this year's ("incoming"), where most children carry over with the usual
 * damage (typos, nicknames, swapped names, a changed surname, a date slip, a year group
 * moved up), some leave, some join, and twins, siblings and common names are frequent.
 * Each child is a pure function of (seed, index): any size, same answer every time.
 */
import type { MatchInput } from "../../src/sync/match/index.ts";
import type { Truth } from "./match-data.ts";

export interface PopulationOptions {
  size: number;
  seed?: number;
  /** Share of carried-over children whose student number is still there (0 to 1). */
  stableIds?: number;
  /** Shares of damage, each applied independently to carried-over children. */
  damage?: Partial<typeof DEFAULT_DAMAGE>;
  schools?: number;
}

export const DEFAULT_DAMAGE = {
  leaves: 0.05,
  typoGiven: 0.03,
  typoFamily: 0.02,
  nickname: 0.03,
  swappedNames: 0.005,
  surnameChanged: 0.01,
  dateOneDigit: 0.01,
  dateSwapped: 0.01,
  twins: 0.02,
  siblings: 0.1,
};

// Common names come up again and again; a long tail of made-up ones makes most names rare.
const COMMON_GIVEN = [
  "olivia",
  "liam",
  "emma",
  "noah",
  "ava",
  "oliver",
  "sophia",
  "elijah",
  "isabella",
  "james",
  "mia",
  "william",
  "amelia",
  "benjamin",
  "harper",
  "lucas",
  "evelyn",
  "henry",
  "muhammad",
  "aaliyah",
  "zoe",
  "jacob",
];
const NICKNAMES: Record<string, string> = {
  william: "bill",
  james: "jim",
  elizabeth: "beth",
  benjamin: "ben",
  jacob: "jake",
  robert: "bob",
  katherine: "kate",
  alexander: "alex",
  margaret: "maggie",
  thomas: "tom",
  samuel: "sam",
  daniel: "dan",
  abigail: "abby",
  nicholas: "nick",
  jennifer: "jenny",
  michael: "mike",
};
const COMMON_FAMILY = [
  "smith",
  "johnson",
  "williams",
  "brown",
  "jones",
  "garcia",
  "miller",
  "davis",
  "rodriguez",
  "martinez",
  "nguyen",
  "patel",
  "kim",
  "lee",
  "wilson",
  "taylor",
];
const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ra",
  "ne",
  "to",
  "sa",
  "vi",
  "de",
  "an",
  "el",
  "or",
  "bi",
  "su",
  "ju",
  "ha",
  "ze",
  "po",
  "qui",
  "far",
  "ton",
  "ley",
  "son",
  "ber",
  "man",
  "ric",
  "dal",
  "wyn",
];

/** A number in [0, 1) that depends only on its keys (cyrb53: fast, well spread, no bigints). */
function chance(seed: number, ...keys: (string | number)[]): number {
  const text = `${seed}|${keys.join("|")}`;
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return ((h2 >>> 0) * 2097152 + (h1 >>> 11)) / 2 ** 53;
}

function madeUpName(seed: number, kind: string, index: number, syllables: number): string {
  let name = "";
  for (let part = 0; part < syllables; part++) name += SYLLABLES[Math.floor(chance(seed, kind, index, part) * SYLLABLES.length)];
  return name;
}

function givenNameOf(seed: number, index: number): string {
  const roll = chance(seed, "given-kind", index);
  if (roll < 0.35) return COMMON_GIVEN[Math.floor(chance(seed, "given", index) * COMMON_GIVEN.length)]!;
  if (roll < 0.45) return Object.keys(NICKNAMES)[Math.floor(chance(seed, "formal", index) * Object.keys(NICKNAMES).length)]!;
  return madeUpName(seed, "given", index, 2 + Math.floor(chance(seed, "given-len", index) * 2));
}

function familyNameOf(seed: number, family: number): string {
  return chance(seed, "family-kind", family) < 0.25
    ? COMMON_FAMILY[Math.floor(chance(seed, "family", family) * COMMON_FAMILY.length)]!
    : madeUpName(seed, "family", family, 2 + Math.floor(chance(seed, "family-len", family) * 2));
}

function typo(seed: number, name: string, key: string): string {
  if (name.length < 3) return `${name}e`;
  const at = 1 + Math.floor(chance(seed, "typo", key) * (name.length - 2));
  const kind = chance(seed, "typo-kind", key);
  if (kind < 0.33) return name.slice(0, at) + name[at + 1] + name[at] + name.slice(at + 2); // transposition
  if (kind < 0.66) return name.slice(0, at) + name.slice(at + 1); // deletion
  return name.slice(0, at) + "aeiou"[Math.floor(chance(seed, "typo-letter", key) * 5)] + name.slice(at + 1); // substitution
}

const pad = (n: number) => String(n).padStart(2, "0");
const GRADES = ["Kindergarten", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"];

export interface Child {
  existing: MatchInput;
  /** Family index (twins and siblings share one). */
  family: number;
  twinOf?: number | undefined;
}

/** Last year's record of child `index`. */
export function existingChild(index: number, options: PopulationOptions): Child {
  const seed = options.seed ?? 7;
  const damage = { ...DEFAULT_DAMAGE, ...options.damage };
  const schools = options.schools ?? Math.max(1, Math.ceil(options.size / 500));
  // Twins: child i and i-1 share a family, a birthday and a school. Siblings share a family and a school.
  const twin = index > 0 && chance(seed, "twin", index) < damage.twins && chance(seed, "twin", index - 1) >= damage.twins;
  const sibling = !twin && index > 0 && chance(seed, "sibling", index) < damage.siblings;
  const root = twin || sibling ? index - 1 : index;
  const family = twin || sibling ? existingChild(root, { ...options, damage: { ...damage, twins: 0, siblings: 0 } }).family : index;
  const dobSource = twin ? root : index;
  const cohort = Math.floor(chance(seed, "cohort", dobSource) * GRADES.length);
  const year = 2020 - cohort;
  const month = 1 + Math.floor(chance(seed, "month", dobSource) * 12);
  const day = 1 + Math.floor(chance(seed, "day", dobSource) * 28);
  let given = givenNameOf(seed, index);
  if (twin && given === givenNameOf(seed, root)) given = `${given}a`;
  return {
    family,
    twinOf: twin ? root : undefined,
    existing: {
      id: `e${index}`,
      givenName: given,
      familyName: familyNameOf(seed, family),
      dateOfBirth: `${year}-${pad(month)}-${pad(day)}`,
      gender: chance(seed, "gender", index) < 0.5 ? "female" : "male",
      yearGroup: GRADES[cohort],
      school: `school-${(twin || sibling ? root : index) % schools}`,
      studentNumber: `N${index}`,
    },
  };
}

/** This year's record of child `index`, or null when the child left; plus whether it was damaged. */
export function incomingChild(index: number, options: PopulationOptions): MatchInput | null {
  const seed = options.seed ?? 7;
  const damage = { ...DEFAULT_DAMAGE, ...options.damage };
  if (chance(seed, "leaves", index) < damage.leaves) return null;
  const { existing } = existingChild(index, options);
  let given = existing.givenName;
  let familyName = existing.familyName;
  let dob = existing.dateOfBirth!;
  const roll = (what: string) => chance(seed, what, index);
  if (roll("nickname") < damage.nickname && NICKNAMES[given]) given = NICKNAMES[given]!;
  if (roll("typoGiven") < damage.typoGiven) given = typo(seed, given, `g${index}`);
  if (roll("surnameChanged") < damage.surnameChanged) familyName = familyNameOf(seed, 10_000_000 + index);
  else if (roll("typoFamily") < damage.typoFamily) familyName = typo(seed, familyName, `f${index}`);
  if (roll("dateSwapped") < damage.dateSwapped) {
    const [y, m, d] = dob.split("-");
    if (Number(d) <= 12 && d !== m) dob = `${y}-${d}-${m}`;
  } else if (roll("dateOneDigit") < damage.dateOneDigit) {
    dob = `${dob.slice(0, 9)}${(Number(dob[9]) + 1) % 10}`;
    if (!/^\d{4}-\d{2}-(0[1-9]|[12]\d)$/.test(dob)) dob = existing.dateOfBirth!;
  }
  const swapped = roll("swappedNames") < damage.swappedNames;
  const grade = GRADES[Math.min(GRADES.length - 1, GRADES.indexOf(existing.yearGroup!) + 1)];
  return {
    id: `i${index}`,
    givenName: swapped ? familyName : given,
    familyName: swapped ? given : familyName,
    dateOfBirth: dob,
    gender: existing.gender,
    yearGroup: grade,
    school: existing.school,
    studentNumber: roll("stable") < (options.stableIds ?? 0) ? existing.studentNumber : undefined,
  };
}

/** Joiners: children who were not on last year's roster. */
export function newChild(index: number, options: PopulationOptions): MatchInput {
  const child = existingChild(options.size * 3 + index, options).existing;
  return { ...child, id: `n${index}`, studentNumber: undefined };
}

export interface Population {
  existing: MatchInput[];
  incoming: MatchInput[];
  /**
   * incoming id -> existing id, for children who carried over: a rule over ids (child n is
   * "en" last year and "in" this year; joiners are "n…"), not a map of a million entries held
   * in the memory a benchmark measures.
   */
  truth: Truth;
  /** Pairs of twins' existing ids. */
  twins: [string, string][];
}

/**
 * A record as a reader hands it over: parsed from text, its strings flat. Built by
 * concatenation, a generated name is a chain of pieces that the first comparison has to
 * join (measured: 1.8 s of a 2.7 s identifier tier at 1M), a cost no parsed file has.
 */
const asParsed = (record: MatchInput): MatchInput => JSON.parse(JSON.stringify(record)) as MatchInput;

/** 0, 1, ..., count - 1 in a seeded random order (Fisher-Yates). */
function shuffled(count: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index--) {
    const other = Math.floor(chance(seed, "order", index) * (index + 1));
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}

const carriedOver: Truth = { get: (incomingId) => (incomingId.startsWith("i") ? `e${incomingId.slice(1)}` : undefined) };

/**
 * Each roster as its own reader would hand it over: last year's read in full, then this
 * year's, in its own order (two systems rarely list children alike), each record made in the
 * order of its list. The answer for a child is then as far from its question in memory as in
 * real use: made in one loop and in the same order, the rosters flattered both the matcher's
 * time and its peak (README, performance).
 */
export function population(options: PopulationOptions): Population {
  const existing: MatchInput[] = [];
  const incoming: MatchInput[] = [];
  const twins: [string, string][] = [];
  const damage = { ...DEFAULT_DAMAGE, ...options.damage };
  for (let index = 0; index < options.size; index++) {
    const child = existingChild(index, options);
    existing.push(asParsed(child.existing));
    if (child.twinOf !== undefined) twins.push([`e${child.twinOf}`, child.existing.id]);
  }
  // Children 0 to size - 1 carry over (unless they left); the numbers after them are joiners.
  const joiners = Math.round(options.size * damage.leaves);
  for (const ticket of shuffled(options.size + joiners, options.seed ?? 7)) {
    const next = ticket < options.size ? incomingChild(ticket, options) : newChild(ticket - options.size, options);
    if (next) incoming.push(asParsed(next));
  }
  return { existing, incoming, truth: carriedOver, twins };
}
