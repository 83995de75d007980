/** The shared normalisers, table by table. */
import { describe, expect, test } from "bun:test";
import { checkUpn, cleanName, normaliseEmail, normaliseGrade, normaliseGrades, parseDate } from "../../src/roster/normalise/index.ts";

describe("grades", () => {
  const cases: [string | number, string | undefined][] = [
    ["Kindergarten", "Kindergarten"],
    ["PreKindergarten", "PreKindergarten"],
    ["TransitionalKindergarten", "TransitionalKindergarten"],
    ["1", "1"],
    ["12", "12"],
    ["PostGraduate", "PostGraduate"],
    ["KG", "Kindergarten"],
    ["PK", "PreKindergarten"],
    ["IT", "InfantToddler"],
    ["PR", "Preschool"],
    ["TK", "TransitionalKindergarten"],
    ["01", "1"],
    ["09", "9"],
    ["13", "13"],
    ["PS", "PostGraduate"],
    ["UG", "Ungraded"],
    ["Other", "Other"],
    ["Year R", "Kindergarten"],
    ["Reception", "Kindergarten"],
    ["R", "Kindergarten"],
    ["Girls Reception", "Kindergarten"],
    ["N1", "Preschool"],
    ["Year N2", "PreKindergarten"],
    ["Nursery", "PreKindergarten"],
    ["Year 7", "7"],
    ["Y11", "11"],
    [7, "7"],
    ["", undefined],
    ["Year 14", undefined],
    ["Sophomore", undefined],
  ];
  for (const [raw, code] of cases) {
    test(`${JSON.stringify(raw)} -> ${code ?? "unknown"}`, () => {
      const grade = normaliseGrade(raw);
      expect(grade?.code).toBe(code as never);
      if (grade) expect(grade.label).toBe(String(raw));
    });
  }
  test("multi-value cells keep each grade with its own label", () => {
    expect(normaliseGrades("09,10")).toEqual([
      { code: "9", label: "09" },
      { code: "10", label: "10" },
    ]);
  });
});

describe("dates", () => {
  const cases: [Parameters<typeof parseDate>[0], string | undefined][] = [
    ["2013-04-09", "2013-04-09"],
    ["2013-04-09T00:00:00.000Z", "2013-04-09"],
    ["1/16/2014", "2014-01-16"],
    ["12/3/2015", "2015-12-03"],
    [{ date: "2012-09-01 00:00:00.000000" }, "2012-09-01"],
    ["2013-02-30", undefined],
    ["2/30/2013", undefined],
    ["16/1/2014", undefined],
    ["", undefined],
    [null, undefined],
    ["yesterday", undefined],
  ];
  for (const [raw, iso] of cases) test(`${JSON.stringify(raw)} -> ${iso ?? "none"}`, () => expect(parseDate(raw)).toBe(iso as never));
});

describe("names and emails", () => {
  test("names are trimmed, single-spaced and composed", () => {
    expect(cleanName("  Zoe\u0308   Smith ")).toBe("Zoë Smith");
    expect(cleanName("   ")).toBeUndefined();
  });
  test("emails are lower-cased; malformed ones are kept aside", () => {
    expect(normaliseEmail(" Ava.Smith@School.ORG ")).toEqual({ email: "ava.smith@school.org" });
    expect(normaliseEmail("ava.smith")).toEqual({ invalid: "ava.smith" });
    expect(normaliseEmail("")).toEqual({});
  });
});

describe("UPN", () => {
  test("valid, temporary and mistyped numbers", () => {
    expect(checkUpn("B801200005001")).toEqual({ upn: "B801200005001", temporary: false });
    expect(checkUpn("n823432113104")).toEqual({ upn: "N823432113104", temporary: false });
    expect(checkUpn("A801200005001").problem).toContain("wrong check letter");
    expect(checkUpn("B80120000500").problem).toContain("13 characters");
    expect(checkUpn("")).toEqual({});
  });
  test("a temporary UPN ends in a letter and is checked the same way", () => {
    // Compute a valid temporary UPN from the rule, then check the same number with another check letter fails.
    const body = "80120000500A";
    const letters = "ABCDEFGHJKLMNPQRTUVWXYZ";
    let sum = 0;
    for (let index = 0; index < 12; index++) sum += (index + 2) * (/\d/.test(body[index]!) ? Number(body[index]) : letters.indexOf(body[index]!));
    const upn = `${letters[sum % 23]}${body}`;
    expect(checkUpn(upn)).toEqual({ upn, temporary: true });
  });
});

describe("cleanName", () => {
  test("removes control characters, byte-order marks and U+FFFD; whitespace becomes one space", () => {
    expect(cleanName("Zo\u0000e\u0007 \t O'Brien\uFEFF")).toBe("Zoe O'Brien");
    expect(cleanName("Jos\uFFFD\n Pe\u0085na")).toBe("Jos Pena");
    expect(cleanName("e\u0301")).toBe("é");
    expect(cleanName("\u0000 ")).toBeUndefined();
  });
});
