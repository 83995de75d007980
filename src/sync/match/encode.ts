/**
 * Records as columns of integers: every name, school and identifier is interned once, so
 * comparing a million pairs compares numbers, and string similarity is worked out once per
 * distinct pair of names (see similarity.ts).
 */
import type { MatchInput } from "./types.ts";
import { dateDigits, dayNumber, gradeOrdinal, normaliseName, trimmed, UNKNOWN_GRADE } from "./normalise.ts";
import { StringTable } from "../../lib/compact/string-table.ts";
import { readAhead } from "./read-ahead.ts";

/**
 * A dictionary of normal forms: equal values get equal ids. Raw spellings are remembered
 * beside their normal form, so "Oak Hill" written a thousand times is lower-cased once.
 */
export class Strings {
  /** The normal forms, by id. */
  readonly values: string[] = [];
  /** Every spelling seen, normal or raw; `idOfSpelling[entry]` is its normal form's id. */
  private readonly spellings: StringTable;
  private readonly idOfSpelling: number[] = [];

  constructor(expected?: number) {
    this.spellings = new StringTable(expected);
  }

  /** The id of a value written in its normal form ("" and undefined are -1). */
  id(value: string | undefined): number {
    if (!value) return -1;
    const entry = this.spellings.intern(value);
    if (entry === this.idOfSpelling.length) {
      this.idOfSpelling.push(this.values.length);
      this.values.push(value);
    }
    return this.idOfSpelling[entry]!;
  }

  /**
   * The id of a raw value, normalised first. A spelling seen before costs one lookup; a new one
   * already in normal form (most identifiers: all distinct) one insertion, not a miss and then
   * an insertion.
   */
  idOf(raw: string | undefined, normalise: (value: string) => string): number {
    if (!raw) return -1;
    const entry = this.spellings.intern(raw);
    if (entry < this.idOfSpelling.length) return this.idOfSpelling[entry]!;
    this.idOfSpelling.push(-1); // raw's own entry, filled in below (the normal form may add one after it)
    const normal = normalise(raw);
    let id: number;
    if (normal === raw) {
      id = this.values.length;
      this.values.push(raw);
    } else {
      id = this.id(normal);
    }
    this.idOfSpelling[entry] = id;
    return id;
  }
}

/** Interned strings shared by both sides, so equal values have equal ids. */
export interface Dictionaries {
  names: Strings;
  /** Filled by encode: one dictionary per other field. */
  fields?: Map<string, Strings>;
}

export interface Encoded {
  size: number;
  given: Int32Array;
  preferredGiven: Int32Array;
  family: Int32Array;
  preferredFamily: Int32Array;
  dobDigits: Int32Array;
  dobDay: Int32Array;
  gender: Int32Array;
  grade: Int32Array;
  /** The school-year cohort of the date of birth (birth year, plus one from September on); -1 when unknown. */
  cohort: Int32Array;
  /** The usual grade + cohort of this side (its mode): a child on track has exactly this. */
  gradeNorm: number;
  school: Int32Array;
  email: Int32Array;
  postcode: Int32Array;
  address: Int32Array;
  /** Strong identifiers, one column each (UPN, state id, student number, source id). */
  upn: Int32Array;
  stateId: Int32Array;
  studentNumber: Int32Array;
  sourceId: Int32Array;
  /** Former UPNs, by row, for the identifier tier. */
  formerUpns: Map<number, number[]>;
}

/** Fields that only help when both sides carry them; see `fieldsOnBothSides`. */
export const OPTIONAL_FIELDS = ["email", "postcode", "address", "upn", "stateId", "studentNumber", "sourceId"] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

/**
 * The optional fields present on some record of each side. A field empty on one whole side
 * can neither agree nor disagree for any pair, so it is not encoded at all: a million
 * student numbers on the existing side alone would fill a dictionary for nothing.
 */
export function fieldsOnBothSides(incoming: readonly MatchInput[], existing: readonly MatchInput[]): Set<OptionalField> {
  const incomingHolds = fieldsHeld(incoming);
  const existingHolds = fieldsHeld(existing);
  return new Set(OPTIONAL_FIELDS.filter((field) => incomingHolds[field] && existingHolds[field]));
}

/** Which optional fields (and former UPNs) any of `records` holds, in one pass that stops once all are seen. */
export function fieldsHeld(records: readonly MatchInput[]): Record<OptionalField | "formerUpns", boolean> {
  const held = { email: false, postcode: false, address: false, upn: false, stateId: false, studentNumber: false, sourceId: false, formerUpns: false };
  let missing = Object.keys(held).length;
  const see = (field: keyof typeof held) => {
    if (!held[field]) missing--;
    held[field] = true;
  };
  for (let row = 0; row < records.length && missing; row++) {
    const record = records[row]!;
    // Plain property reads: a loop over field names cost several times more on a million rows.
    if (record.email) see("email");
    if (record.postcode) see("postcode");
    if (record.address) see("address");
    if (record.upn) see("upn");
    if (record.stateId) see("stateId");
    if (record.studentNumber) see("studentNumber");
    if (record.sourceId) see("sourceId");
    if (record.formerUpns?.length) see("formerUpns");
  }
  return held;
}

export function encode(records: readonly MatchInput[], dictionaries: Dictionaries, optional: ReadonlySet<OptionalField> = new Set(OPTIONAL_FIELDS)): Encoded {
  const size = records.length;
  const column = () => new Int32Array(size).fill(-1);
  // The optional fields not compared in this run share one column of -1s (never written), and
  // so do preferred names until one turns up: many rosters carry none.
  const absent = column();
  const optionalColumn = (field: OptionalField) => (optional.has(field) ? column() : absent);
  const encoded: Encoded = {
    size,
    given: column(),
    preferredGiven: absent,
    family: column(),
    preferredFamily: absent,
    dobDigits: column(),
    dobDay: column(),
    gender: column(),
    grade: new Int32Array(size).fill(UNKNOWN_GRADE),
    cohort: column(),
    gradeNorm: -1,
    school: column(),
    email: optionalColumn("email"),
    postcode: optionalColumn("postcode"),
    address: optionalColumn("address"),
    upn: optionalColumn("upn"),
    stateId: optionalColumn("stateId"),
    studentNumber: optionalColumn("studentNumber"),
    sourceId: optionalColumn("sourceId"),
    formerUpns: new Map(),
  };
  const { names } = dictionaries;
  // One dictionary per field, so values need no prefix to keep fields apart. Identifiers are
  // kept as the source writes them (as the identifier tier compares them); other values ignore case.
  const fields = (dictionaries.fields ??= new Map());
  const dictionary = (field: string, distinct?: number): Strings => {
    let found = fields.get(field);
    if (!found) {
      found = new Strings(distinct);
      fields.set(field, found);
    }
    return found;
  };
  const gender = dictionary("gender");
  const school = dictionary("school");
  const postcode = dictionary("postcode");
  // Identifiers and emails are nearly all distinct: their dictionaries start at this side's size.
  const distinct = (field: OptionalField) => dictionary(field, optional.has(field) ? size : 0);
  const [email, upn, stateId, studentNumber, sourceId] = [
    distinct("email"),
    distinct("upn"),
    distinct("stateId"),
    distinct("studentNumber"),
    distinct("sourceId"),
  ] as const;
  const lower = (value: string) => value.trim().toLowerCase();
  // Names repeat: each spelling is normalised once.
  const nameId = (raw: string | undefined) => names.idOf(raw, normaliseName);
  const genderId = remembered((raw) => (raw === "unknown" ? -1 : gender.idOf(raw, lower)), -1);
  const schoolId = remembered((raw) => school.idOf(raw, lower), -1);
  const ownColumn = (field: "preferredGiven" | "preferredFamily"): Int32Array => {
    if (encoded[field] === absent) encoded[field] = column();
    return encoded[field];
  };
  const has = Object.fromEntries(OPTIONAL_FIELDS.map((field) => [field, optional.has(field)])) as Record<OptionalField, boolean>;
  for (let row = 0; row < size; row++) {
    readAhead(records, row, true);
    const record = records[row]!;
    encoded.given[row] = nameId(record.givenName);
    if (record.preferredGivenName) ownColumn("preferredGiven")[row] = nameId(record.preferredGivenName);
    encoded.family[row] = nameId(record.familyName);
    if (record.preferredFamilyName) ownColumn("preferredFamily")[row] = nameId(record.preferredFamilyName);
    const digits = dateDigits(record.dateOfBirth);
    encoded.dobDigits[row] = digits;
    if (digits >= 0) encoded.dobDay[row] = dayNumber(digits);
    encoded.gender[row] = genderId(record.gender);
    encoded.grade[row] = gradeOrdinal(record.yearGroup);
    if (digits >= 0) encoded.cohort[row] = Math.floor(digits / 10_000) + (Math.floor(digits / 100) % 100 >= 9 ? 1 : 0);
    encoded.school[row] = schoolId(record.school);
    if (has.email) encoded.email[row] = email.idOf(record.email, lower);
    if (has.postcode) encoded.postcode[row] = postcode.idOf(record.postcode, (value) => lower(value).replace(/\s+/g, ""));
    // Addresses are compared by spelling, like names.
    if (has.address) encoded.address[row] = nameId(record.address);
    if (has.upn) encoded.upn[row] = upn.idOf(record.upn, trimmed);
    if (has.stateId) encoded.stateId[row] = stateId.idOf(record.stateId, trimmed);
    if (has.studentNumber) encoded.studentNumber[row] = studentNumber.idOf(record.studentNumber, trimmed);
    if (has.sourceId) encoded.sourceId[row] = sourceId.idOf(record.sourceId, trimmed);
    if (has.upn && record.formerUpns?.length)
      encoded.formerUpns.set(
        row,
        record.formerUpns.map((former) => upn.idOf(former, trimmed)),
      );
  }
  encoded.gradeNorm = gradeNorm(encoded);
  return encoded;
}

/**
 * A lookup remembered per spelling, for fields with few distinct values (genders, schools).
 * Each record brings its own copy of "school-12", and the engine's own string hashing found it
 * faster than hashing it here; for names and identifiers, with many distinct values, it
 * costs more. While a field has no more
 * than a handful of spellings (gender), they are compared in turn before any hashing.
 */
function remembered<Value>(lookup: (raw: string) => Value, absent: Value): (raw: string | undefined) => Value {
  const seen = new Map<string, Value>();
  let few: string[] | undefined = [];
  const fewValues: Value[] = [];
  return (raw) => {
    if (!raw) return absent;
    if (few) for (let index = 0; index < few.length; index++) if (few[index] === raw) return fewValues[index]!;
    let found = seen.get(raw);
    if (found === undefined) {
      found = lookup(raw);
      seen.set(raw, found);
      if (few && few.length < FEW) {
        few.push(raw);
        fewValues.push(found);
      } else few = undefined;
    }
    return found;
  };
}

const FEW = 6;

/** The most common grade + cohort: on a roster, most children are in the year group their age puts them in. */
function gradeNorm(encoded: Encoded): number {
  const counts = new Map<number, number>();
  for (let row = 0; row < encoded.size; row++) {
    if (encoded.grade[row] === UNKNOWN_GRADE || encoded.cohort[row]! < 0) continue;
    const value = encoded.grade[row]! + encoded.cohort[row]!;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  let best = -1;
  let bestCount = 0;
  for (const [value, count] of counts) if (count > bestCount) [best, bestCount] = [value, count];
  return best;
}
