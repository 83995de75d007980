/**
 * Records as columns of integers: every name, school and identifier is interned once, so
 * comparing a million pairs compares numbers, and string similarity is worked out once per
 * distinct pair of names (see similarity.ts).
 */
import type { MatchRecord } from "../reconcile/types.ts";
import { encodeDate, gradeOrdinal, normaliseName } from "./normalise.ts";

/** What the matcher reads: the sync's record, plus address fields some data sets carry. */
export interface MatchInput extends MatchRecord {
  postcode?: string | undefined;
  address?: string | undefined;
}

export class Strings {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  id(value: string): number {
    if (!value) return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

/** Interned strings shared by both sides, so equal values have equal ids. */
export interface Dictionaries {
  names: Strings;
  /** Filled by encode: one dictionary per other field, and each raw name's id. */
  fields?: Map<string, Strings>;
  rawNames?: Map<string, number>;
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

export function encode(records: readonly MatchInput[], dictionaries: Dictionaries): Encoded {
  const size = records.length;
  const column = () => new Int32Array(size).fill(-1);
  const encoded: Encoded = {
    size,
    given: column(),
    preferredGiven: column(),
    family: column(),
    preferredFamily: column(),
    dobDigits: column(),
    dobDay: column(),
    gender: column(),
    grade: new Int32Array(size).fill(-99),
    cohort: column(),
    gradeNorm: -1,
    school: column(),
    email: column(),
    postcode: column(),
    address: column(),
    upn: column(),
    stateId: column(),
    studentNumber: column(),
    sourceId: column(),
    formerUpns: new Map(),
  };
  const { names } = dictionaries;
  // One dictionary per field, so values need no prefix to keep fields apart.
  const fields = (dictionaries.fields ??= new Map());
  const id = (field: string, value: string | undefined) => {
    if (!value) return -1;
    let dictionary = fields.get(field);
    if (!dictionary) fields.set(field, (dictionary = new Strings()));
    return dictionary.id(value.trim().toLowerCase());
  };
  // Names repeat: normalise each spelling once.
  const rawNames = (dictionaries.rawNames ??= new Map());
  const nameId = (raw: string | undefined) => {
    if (!raw) return -1;
    let found = rawNames.get(raw);
    if (found === undefined) rawNames.set(raw, (found = names.id(normaliseName(raw))));
    return found;
  };
  records.forEach((record, row) => {
    encoded.given[row] = nameId(record.givenName);
    encoded.preferredGiven[row] = nameId(record.preferredGivenName);
    encoded.family[row] = nameId(record.familyName);
    encoded.preferredFamily[row] = nameId(record.preferredFamilyName);
    const date = encodeDate(record.dateOfBirth);
    encoded.dobDigits[row] = date.digits;
    encoded.dobDay[row] = date.day;
    encoded.gender[row] = id("gender", record.gender === "unknown" ? undefined : record.gender);
    encoded.grade[row] = gradeOrdinal(record.yearGroup);
    if (date.digits >= 0) encoded.cohort[row] = Math.floor(date.digits / 10_000) + (Math.floor(date.digits / 100) % 100 >= 9 ? 1 : 0);
    encoded.school[row] = id("school", record.school);
    encoded.email[row] = id("email", record.email);
    encoded.postcode[row] = id("postcode", record.postcode?.replace(/\s+/g, ""));
    // Addresses are compared by spelling, like names.
    encoded.address[row] = nameId(record.address);
    encoded.upn[row] = id("upn", record.upn);
    encoded.stateId[row] = id("state", record.stateId);
    encoded.studentNumber[row] = id("number", record.studentNumber);
    encoded.sourceId[row] = id("source", record.sourceId);
    if (record.formerUpns?.length) encoded.formerUpns.set(row, record.formerUpns.map((upn) => id("upn", upn)));
  });
  encoded.gradeNorm = gradeNorm(encoded);
  return encoded;
}

/** The most common grade + cohort: on a roster, most children are in the year group their age puts them in. */
function gradeNorm(encoded: Encoded): number {
  const counts = new Map<number, number>();
  for (let row = 0; row < encoded.size; row++) {
    if (encoded.grade[row] === -99 || encoded.cohort[row]! < 0) continue;
    const value = encoded.grade[row]! + encoded.cohort[row]!;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  let best = -1;
  let bestCount = 0;
  for (const [value, count] of counts) if (count > bestCount) [best, bestCount] = [value, count];
  return best;
}
