/**
 * The matcher end to end: the tiers, one-to-one, the hard cases of children's records among
 * a generated school population (so the model has data to learn from), twins, the
 * explanation, and accuracy on FEBRL 4 and a generated K-12 set.
 */
import { describe, expect, test } from "bun:test";
import { type Explanation, type MatchInput, matchRecords } from "../../../src/sync/match/index.ts";
import { population } from "../../bench/k12-population.ts";
import { accuracy, febrl4 } from "../../bench/match-data.ts";
import { skipWithoutShared } from "../../helpers/shared.ts";

const background = population({ size: 400, seed: 3 });

/** Matches `incoming` against `existing` with a school's worth of other children around them. */
function matchAmong(incoming: MatchInput[], existing: MatchInput[]) {
  const results = matchRecords([...incoming, ...background.incoming], [...existing, ...background.existing]);
  return new Map(results.map((result) => [result.incomingId, result]));
}

const child = (id: string, fields: Partial<MatchInput>): MatchInput => ({
  id,
  givenName: "Wilhelmina",
  familyName: "Quartermaine",
  dateOfBirth: "2017-04-17",
  gender: "female",
  yearGroup: "3",
  school: "school-0",
  ...fields,
});

describe("tiers", () => {
  test("a shared student number confirmed by birthday and names is Matched, with the identifier named", () => {
    const results = matchAmong([child("in", { studentNumber: "S-77", yearGroup: "4" })], [child("old", { studentNumber: "S-77" })]);
    const result = results.get("in")!;
    expect(result.status).toBe("Matched");
    expect(result.existingId).toBe("old");
    expect((result.explanation as Explanation).identifier).toBe("student number");
  });

  test("a former UPN on the existing record matches the new one", () => {
    const results = matchAmong([child("in", { upn: "A123456789012" })], [child("old", { upn: "B999999999999", formerUpns: ["A123456789012"] })]);
    expect(results.get("in")!.status).toBe("Matched");
  });

  test("a shared identifier with a different birthday is not Matched on the identifier alone", () => {
    const results = matchAmong(
      [child("in", { studentNumber: "S-77", givenName: "Theodora", dateOfBirth: "2011-01-02" })],
      [child("old", { studentNumber: "S-77" })],
    );
    expect(results.get("in")!.status).not.toBe("Matched");
  });

  test("a shared student number with a mistyped name is not confirmed, but the pair is still found and offered", () => {
    const results = matchAmong([child("in", { studentNumber: "S-77", givenName: "Wilhemina" })], [child("old", { studentNumber: "S-77" })]);
    expect(results.get("in")!.status).toBe("May match");
    expect(results.get("in")!.existingId).toBe("old");
  });

  test("without identifiers a strong probabilistic pair is May match, never Matched", () => {
    const results = matchAmong([child("in", { yearGroup: "4" })], [child("old", {})]);
    expect(results.get("in")!.status).toBe("May match");
    expect(results.get("in")!.existingId).toBe("old");
  });

  test("a stranger is New", () => {
    const results = matchAmong([child("in", { givenName: "Bartholomew", familyName: "Ngata", dateOfBirth: "2009-12-01", gender: "male" })], [child("old", {})]);
    expect(results.get("in")!.status).toBe("New");
    expect(results.get("in")!.existingId).toBeUndefined();
  });

  test("one to one: two incoming copies of a child claim the existing record once", () => {
    const results = matchAmong([child("in1", {}), child("in2", { givenName: "Wilhelmena" })], [child("old", {})]);
    const claims = [results.get("in1")!, results.get("in2")!].filter((result) => result.existingId === "old");
    expect(claims.length).toBe(1);
    expect(claims[0]!.incomingId).toBe("in1");
  });
});

describe("hard cases find their child", () => {
  const cases: [string, Partial<MatchInput>][] = [
    ["a nickname", { givenName: "William", familyName: "Abernathy-Cole", gender: "male" }],
    ["a typo in the given name", { givenName: "Wilhelmnia" }],
    ["accents dropped", { givenName: "Zoë", familyName: "Brontë" }],
    ["a hyphenated surname shortened", { familyName: "Quartermaine-Osei" }],
    ["given and family names swapped", { givenName: "Quartermaine", familyName: "Wilhelmina" }],
    ["the preferred name used as the given name", { givenName: "Mina" }],
    ["a changed surname", { familyName: "Featherstonehaugh" }],
    ["one digit of the birthday wrong", { dateOfBirth: "2017-04-18" }],
    ["day and month swapped", { dateOfBirth: "2017-04-07" }],
    ["moved up a year group", { yearGroup: "4" }],
  ];
  const existing: Record<string, Partial<MatchInput>> = {
    "a nickname": { givenName: "Bill", familyName: "Abernathy-Cole", gender: "male" },
    "accents dropped": { givenName: "Zoe", familyName: "Bronte" },
    "a hyphenated surname shortened": { familyName: "Quartermaine" },
    "the preferred name used as the given name": { givenName: "Wilhelmina", preferredGivenName: "Mina" },
    "day and month swapped": { dateOfBirth: "2017-07-04" },
  };
  for (const [name, incoming] of cases) {
    test(name, () => {
      const results = matchAmong([child("in", incoming)], [child("old", existing[name] ?? {})]);
      expect({ name, status: results.get("in")!.status, existingId: results.get("in")!.existingId }).toEqual({ name, status: "May match", existingId: "old" });
    });
  }

  test("an initial alone with a different birthday is not enough", () => {
    const results = matchAmong([child("in", { givenName: "W", dateOfBirth: "2017-09-30" })], [child("old", {})]);
    expect(results.get("in")!.status).toBe("New");
  });
});

describe("twins", () => {
  test("twins (same birthday, surname and school) are never merged, even with one missing from the incoming roster", () => {
    const results = matchAmong([child("in-ada", { givenName: "Ada" })], [child("old-ada", { givenName: "Ada" }), child("old-eve", { givenName: "Eve" })]);
    expect(results.get("in-ada")!.existingId).toBe("old-ada");
    const alone = matchAmong([child("in-eve", { givenName: "Eve" })], [child("old-ada", { givenName: "Ada" })]);
    expect(alone.get("in-eve")!.status).toBe("New");
  });

  test("a twin given the other twin's student number (and a typo in her name) still finds her own record", () => {
    const results = matchAmong(
      [child("in-ada", { givenName: "Adah", studentNumber: "S-2" })],
      [child("old-ada", { givenName: "Ada", studentNumber: "S-1" }), child("old-eve", { givenName: "Eve", studentNumber: "S-2" })],
    );
    expect(results.get("in-ada")!.existingId).toBe("old-ada");
  });

  test("no twin in a generated population is merged with the other", () => {
    const pop = population({ size: 3000, seed: 11 });
    const results = new Map(matchRecords(pop.incoming, pop.existing).map((result) => [result.incomingId, result]));
    expect(pop.twins.length).toBeGreaterThan(20);
    for (const [first, second] of pop.twins) {
      expect(results.get(first.replace("e", "i"))?.existingId).not.toBe(second);
      expect(results.get(second.replace("e", "i"))?.existingId).not.toBe(first);
    }
  });
});

describe("explanations", () => {
  test("a May match carries the prior, each field's level and weight, and thresholds that add up to its score", () => {
    const results = matchAmong([child("in", { givenName: "Wilhelmnia", yearGroup: "4" })], [child("old", {})]);
    const explanation = results.get("in")!.explanation as Explanation;
    expect(explanation.tier).toBe("probabilistic");
    expect(explanation.fields.map((field) => field.field)).toEqual(expect.arrayContaining(["givenName", "familyName", "dateOfBirth", "yearGroup"]));
    expect(explanation.fields.find((field) => field.field === "givenName")!.level).toBe("jaroWinkler");
    expect(explanation.fields.find((field) => field.field === "yearGroup")!.level).toBe("promoted");
    const sum = explanation.prior! + explanation.fields.reduce((total, field) => total + field.weight, 0);
    expect(Math.abs(sum - explanation.total!)).toBeLessThan(0.1);
    expect(explanation.probability).toBeCloseTo(1 / (1 + 2 ** -explanation.total!), 2);
    expect(explanation.thresholds.mayMatch).toBeLessThan(explanation.thresholds.matched);
  });

  test("a May match's explanation is kept when the result is written as JSON (as the plan stores it)", () => {
    const result = matchAmong([child("in", { givenName: "Wilhelmnia" })], [child("old", {})]).get("in")!;
    const written = JSON.parse(JSON.stringify(result));
    expect(written.status).toBe("May match");
    expect(written.existingId).toBe("old");
    expect(written.explanation).toEqual(result.explanation);
    expect(written.explanation.fields.length).toBeGreaterThan(3);
  });

  test("every May match explains its own pair: the waterfall's total gives the probability it was taken at", () => {
    const mayMatches = matchRecords(background.incoming, background.existing).filter((result) => result.status === "May match");
    expect(mayMatches.length).toBeGreaterThan(10);
    for (const result of mayMatches) {
      const explanation = result.explanation as Explanation;
      expect(1 / (1 + 2 ** -explanation.total!)).toBeCloseTo(result.probability!, 2);
    }
  });

  test("the same input gives the same answer", () => {
    const once = matchRecords(background.incoming, background.existing);
    const twice = matchRecords(background.incoming, background.existing);
    // Through JSON, so each explanation is compared too.
    expect(JSON.parse(JSON.stringify(twice))).toEqual(JSON.parse(JSON.stringify(once)));
    expect(once.filter((result) => result.status === "May match").length).toBeGreaterThan(0);
  });
});

describe("accuracy", () => {
  test("a generated K-12 set of 5,000 per side: precision >= 0.995 at recall >= 0.97", () => {
    const pop = population({ size: 5000, seed: 5 });
    const result = accuracy(matchRecords(pop.incoming, pop.existing), pop.truth, new Set(pop.existing.map((record) => record.id)));
    expect(result.precision).toBeGreaterThanOrEqual(0.995);
    expect(result.recall).toBeGreaterThanOrEqual(0.97);
  });

  describe.skipIf(skipWithoutShared("FEBRL 4 accuracy"))("FEBRL 4", () => {
    for (const [fields, bar] of [
      ["names and date of birth", 0.95],
      ["all", 0.995],
    ] as const) {
      test(`${fields}: F1 >= ${bar}`, () => {
        const data = febrl4(fields);
        const result = accuracy(matchRecords(data.incoming, data.existing), data.truth, new Set(data.existing.map((record) => record.id)));
        expect(result.f1).toBeGreaterThanOrEqual(bar);
      });
    }
  });
});
