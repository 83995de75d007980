/**
 * The match model is data (issue 18, point 4): a level is found by its kind, not its place;
 * training learns the comparisons it is given; the twins guard and the term-frequency
 * adjustment follow the levels' flags.
 */
import { describe, expect, test } from "bun:test";
import { Pairs } from "../../../src/sync/match/blocking.ts";
import { COMPARISONS, type ComparisonSpec, type Field, levelOf, NULL_LEVEL } from "../../../src/sync/match/comparisons.ts";
import { encode, Strings } from "../../../src/sync/match/encode.ts";
import { matchRecords } from "../../../src/sync/match/index.ts";
import { CandidateLevels, comparersFor, train } from "../../../src/sync/match/model.ts";
import { NameSimilarity } from "../../../src/sync/match/similarity.ts";
import type { MatchInput } from "../../../src/sync/match/types.ts";

const base: MatchInput = { id: "a", givenName: "Olivia", familyName: "Okafor", dateOfBirth: "2014-03-09", gender: "female", yearGroup: "4", school: "north" };

function labelOf(spec: ComparisonSpec, a: Partial<MatchInput>, b: Partial<MatchInput>): string {
  const dictionaries = { names: new Strings() };
  const left = encode([{ ...base, ...a, id: "a" }], dictionaries);
  const right = encode([{ ...base, ...b, id: "b" }], dictionaries);
  const index = levelOf(spec, left, 0, right, 0, new NameSimilarity(dictionaries.names), false);
  return index === NULL_LEVEL ? "missing" : spec.levels[index]!.label;
}

/** The comparison with a level put first that its kind of comparison never tests: every answer must keep its label. */
function withLevelFirst(field: Field): [ComparisonSpec, ComparisonSpec] {
  const spec = COMPARISONS.find((comparison) => comparison.field === field)!;
  const unused = { kind: "dateSwapped" as const, label: "A level this comparison never reaches", m: 0.5, u: 0.5 };
  return [spec, { ...spec, levels: [unused, ...spec.levels] }];
}

describe("levels by kind, not by place", () => {
  test("gender, school and identifiers find their 'same' and 'different' levels wherever they sit", () => {
    const pairs: [Partial<MatchInput>, Partial<MatchInput>][] = [
      [{}, {}],
      [{ gender: "male", school: "south", upn: "A123" }, { upn: "B456" }],
      [{ upn: "A123" }, { upn: "A123" }],
    ];
    for (const field of ["gender", "school", "identifier"] as const) {
      const [spec, shifted] = withLevelFirst(field);
      const labels = pairs.map(([a, b]) => labelOf(spec, a, b));
      expect(labels).not.toContain("A level this comparison never reaches");
      expect(pairs.map(([a, b]) => labelOf(shifted, a, b))).toEqual(labels);
    }
  });

  test("names find 'exact' by kind too", () => {
    const [spec, shifted] = withLevelFirst("familyName");
    expect(labelOf(shifted, {}, {})).toBe(labelOf(spec, {}, {}));
    expect(labelOf(shifted, {}, {})).toBe("Same family name");
  });
});

describe("training", () => {
  test("learns the comparisons it is given, and only those", () => {
    const dictionaries = { names: new Strings() };
    const people = Array.from({ length: 40 }, (_, index) => ({ ...base, id: `p${index}`, givenName: `Name${index % 13}`, familyName: `Family${index % 7}` }));
    const left = encode(people, dictionaries);
    const right = encode(
      people.map((person) => ({ ...person, id: `q${person.id}` })),
      dictionaries,
    );
    const similarity = new NameSimilarity(dictionaries.names);
    const candidates = new Pairs();
    for (let row = 0; row < people.length; row++) candidates.push(row, row);
    const some = COMPARISONS.filter((spec) => spec.field === "dateOfBirth" || spec.field === "gender");
    const comparers = comparersFor(left, right, similarity, some);
    const model = train(left, right, candidates, similarity, comparers, new CandidateLevels(some, comparers, candidates), { seed: 1 });
    expect(model.comparisons.map((spec) => spec.field)).toEqual(["dateOfBirth", "gender"]);
    expect(model.weights.map((row) => row.length)).toEqual(some.map((spec) => spec.levels.length));
    // Without name comparisons there is no name's term-frequency level to measure against.
    expect(model.exactNameU).toEqual({ given: 1, family: 1 });
    // Without a school comparison, the twins guard has one "same" comparison fewer.
    expect(model.twinsSameComparisons).toBe(1);
  });
});

test("the twins guard follows the levels' flags: same birthday, family name and school, different given name", () => {
  const twin = { ...base, id: "twin", givenName: "Amara" };
  const [result] = matchRecords([twin], [base]);
  expect(result!.status).toBe("New");
});
