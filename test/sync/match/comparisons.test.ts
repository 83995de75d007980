/**
 * Each comparison level, one pair of records at a time: the level the comparison puts the
 * pair at is the one its name says. Names, dates and year groups go through the same
 * encoding the matcher uses.
 */
import { describe, expect, test } from "bun:test";
import { COMPARISONS, type Field, levelOf, NULL_LEVEL } from "../../../src/sync/match/comparisons.ts";
import { encode, Strings } from "../../../src/sync/match/encode.ts";
import type { MatchInput } from "../../../src/sync/match/types.ts";
import { Pairs } from "../../../src/sync/match/blocking.ts";
import { CandidateLevels, compareInto, comparersFor } from "../../../src/sync/match/model.ts";
import { NameSimilarity } from "../../../src/sync/match/similarity.ts";

const base: MatchInput = { id: "a", givenName: "Olivia", familyName: "Okafor", dateOfBirth: "2014-03-09", gender: "female", yearGroup: "4", school: "north" };

/** The kind of level `field` puts the pair (a, b) at; "missing" when a value is absent. */
function level(field: Field, a: Partial<MatchInput>, b: Partial<MatchInput>, swapped = false): string {
  const dictionaries = { names: new Strings() };
  const left = encode([{ ...base, ...a, id: "a" }], dictionaries);
  const right = encode([{ ...base, ...b, id: "b" }], dictionaries);
  const spec = COMPARISONS.find((comparison) => comparison.field === field)!;
  const index = levelOf(spec, left, 0, right, 0, new NameSimilarity(dictionaries.names), swapped);
  return index === NULL_LEVEL ? "missing" : spec.levels[index]!.kind;
}

describe("name levels", () => {
  test("the same name, whatever the case, spacing or accents (Zoë / zoe)", () => {
    expect(level("givenName", { givenName: "Zoë" }, { givenName: " zoe " })).toBe("exact");
    expect(level("familyName", { familyName: "Nuñez" }, { familyName: "NUNEZ" })).toBe("exact");
  });
  test("a preferred name on one record is the other's name", () => {
    expect(level("givenName", { givenName: "Alexandra", preferredGivenName: "Sasha" }, { givenName: "Sasha" })).toBe("preferred");
  });
  test("a preferred name on a later record of a roster is kept, and the rows before it have none", () => {
    const dictionaries = { names: new Strings() };
    const roster = encode([base, { ...base, id: "b" }, { ...base, id: "c", preferredGivenName: "Liv" }], dictionaries, new Set());
    expect([...roster.preferredGiven]).toEqual([-1, -1, dictionaries.names.id("liv")]);
    expect(roster.preferredFamily).toBe(roster.upn); // none held: the column shared by every absent field (UPN is not compared here)
    expect([...roster.preferredFamily]).toEqual([-1, -1, -1]);
  });
  test("nicknames from the vendored list (Bill / William, Peggy / Margaret)", () => {
    expect(level("givenName", { givenName: "William" }, { givenName: "Bill" })).toBe("nickname");
    expect(level("givenName", { givenName: "Peggy" }, { givenName: "Margaret" })).toBe("nickname");
  });
  test("a typo is nearly the same spelling", () => {
    expect(level("givenName", { givenName: "Katherine" }, { givenName: "Katharine" })).toBe("jaroWinkler");
  });
  test("hyphenated and double surnames share a part", () => {
    expect(level("familyName", { familyName: "Smith-Jones" }, { familyName: "Jones" })).toBe("sharesPart");
    expect(level("familyName", { familyName: "Garcia Lopez" }, { familyName: "Garcia" })).toBe("sharesPart");
  });
  test("names that sound alike", () => {
    expect(level("familyName", { familyName: "Thompson" }, { familyName: "Tomson" })).not.toBe("else");
    expect(level("givenName", { givenName: "Philip" }, { givenName: "Fillip" })).not.toBe("else");
  });
  test("an initial", () => {
    expect(level("givenName", { givenName: "J" }, { givenName: "Joseph" })).toBe("initial");
  });
  test("given and family names swapped compare crosswise", () => {
    expect(level("givenName", { givenName: "Okafor", familyName: "Olivia" }, {}, true)).toBe("exact");
    expect(level("givenName", { givenName: "Okafor", familyName: "Olivia" }, {}, false)).toBe("else");
  });
  test("different names are different", () => {
    expect(level("givenName", { givenName: "Olivia" }, { givenName: "Harold" })).toBe("else");
  });
});

describe("date of birth levels", () => {
  test("exact, day and month swapped, one digit, within a month, same year, different", () => {
    expect(level("dateOfBirth", {}, {})).toBe("exact");
    expect(level("dateOfBirth", { dateOfBirth: "2014-03-09" }, { dateOfBirth: "2014-09-03" })).toBe("dateSwapped");
    expect(level("dateOfBirth", { dateOfBirth: "2014-03-09" }, { dateOfBirth: "2014-03-08" })).toBe("dateOneDigit");
    expect(level("dateOfBirth", { dateOfBirth: "2014-03-09" }, { dateOfBirth: "2014-03-30" })).toBe("dateWithinDays");
    expect(level("dateOfBirth", { dateOfBirth: "2014-03-09" }, { dateOfBirth: "2014-11-27" })).toBe("sameYear");
    expect(level("dateOfBirth", { dateOfBirth: "2014-03-09" }, { dateOfBirth: "2011-07-21" })).toBe("else");
  });
  test("a missing date scores nothing", () => {
    expect(level("dateOfBirth", { dateOfBirth: undefined }, {})).toBe("missing");
  });
});

describe("year group levels", () => {
  test("same, moved up a year (last year's roster against this year's), one apart, different", () => {
    expect(level("yearGroup", { yearGroup: "4" }, { yearGroup: "4" })).toBe("exact");
    expect(level("yearGroup", { yearGroup: "5" }, { yearGroup: "4" })).toBe("promoted");
    expect(level("yearGroup", { yearGroup: "3" }, { yearGroup: "4" })).toBe("gradeWithin");
    expect(level("yearGroup", { yearGroup: "9" }, { yearGroup: "4" })).toBe("else");
  });
});

describe("year group expected from the date of birth", () => {
  // One incoming record sets its side's norm: a year 4 child born in March 2016 is on track.
  const incoming = { yearGroup: "4", dateOfBirth: "2016-03-09" };
  test("the incoming year group against the one the existing record's birthday implies (September cut-off)", () => {
    expect(level("yearForAge", incoming, { dateOfBirth: "2016-03-09" })).toBe("exact");
    expect(level("yearForAge", incoming, { dateOfBirth: "2015-10-20" })).toBe("exact");
    expect(level("yearForAge", incoming, { dateOfBirth: "2015-03-09" })).toBe("gradeWithin");
    expect(level("yearForAge", incoming, { dateOfBirth: "2012-03-09" })).toBe("else");
    expect(level("yearForAge", incoming, { dateOfBirth: undefined })).toBe("missing");
  });
});

describe("other fields", () => {
  test("gender, school and email agree or differ", () => {
    expect(level("gender", {}, {})).toBe("exact");
    expect(level("gender", {}, { gender: "male" })).toBe("else");
    expect(level("school", {}, { school: "south" })).toBe("else");
    expect(level("email", { email: "A.Pupil@school.org" }, { email: "a.pupil@school.org" })).toBe("exact");
    expect(level("email", { email: undefined }, { email: "a.pupil@school.org" })).toBe("missing");
  });
  test("genders and schools keep one id per value however spelt, past the handful compared in turn", () => {
    const schools = Array.from({ length: 12 }, (_, index) => `School-${index}`);
    const records = [...schools, ...schools.map((school) => ` ${school.toLowerCase()} `)].map((school, index) => ({
      ...base,
      id: `r${index}`,
      school,
      gender: index % 3 ? "female" : "male",
    }));
    const roster = encode(records, { names: new Strings() }, new Set());
    expect([...roster.school]).toEqual([...schools.keys(), ...schools.keys()]);
    expect(new Set(roster.gender).size).toBe(2);
    expect([...roster.gender].map((gender) => gender === roster.gender[0])).toEqual(records.map((_, row) => row % 3 === 0));
  });
  test("identifiers agree, differ, or are missing", () => {
    expect(level("identifier", { studentNumber: "123" }, { studentNumber: "123" })).toBe("exact");
    expect(level("identifier", { studentNumber: "123" }, { studentNumber: "124" })).toBe("else");
    expect(level("identifier", {}, {})).toBe("missing");
  });
});

describe("levels read once per candidate pair", () => {
  test("give the same levels and name order as comparing the pair afresh, under default and other weights", () => {
    const dictionaries = { names: new Strings() };
    const incoming = encode(
      [base, { ...base, givenName: "Okafor", familyName: "Olivia" }, { ...base, givenName: "Olivya" }, { ...base, givenName: "Okafr", familyName: "Olivia" }],
      dictionaries,
    );
    const existing = encode([base, { ...base, givenName: "Liam", dateOfBirth: "2014-09-03" }], dictionaries);
    const similarity = new NameSimilarity(dictionaries.names);
    const comparers = comparersFor(incoming, existing, similarity);
    const candidates = new Pairs();
    for (let a = 0; a < incoming.size; a++) for (let b = 0; b < existing.size; b++) candidates.push(a, b);
    const cached = new CandidateLevels(COMPARISONS, comparers, candidates);
    const defaults = COMPARISONS.map((spec) => spec.levels.map((level) => Math.log2(level.m / level.u)));
    const flat = COMPARISONS.map((spec) => spec.levels.map(() => 0));
    let swappedSeen = 0;
    for (const weights of [defaults, flat]) {
      for (let index = 0; index < candidates.length; index++) {
        const fresh = new Int8Array(COMPARISONS.length);
        const fromCache = new Int8Array(COMPARISONS.length);
        const swapped = compareInto({ comparisons: COMPARISONS, weights }, comparers, candidates.incoming[index]!, candidates.existing[index]!, fresh);
        expect(cached.levelsOf(index, weights, fromCache)).toBe(swapped);
        expect([...fromCache]).toEqual([...fresh]);
        if (swapped) swappedSeen++;
      }
    }
    // The swapped record is read crossed under the default weights, and never with all weights zero.
    expect(swappedSeen).toBeGreaterThan(0);
    expect(cached.levelsOf(2, flat, new Int8Array(COMPARISONS.length))).toBe(false);
  });
});
