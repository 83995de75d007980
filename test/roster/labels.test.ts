/** The label table (issue 19, point 7): every code has words, and changes read field by field in them. */
import { describe, expect, test } from "bun:test";
import {
  changeInWords,
  changesInWords,
  FIELD_WORDS,
  gradeWords,
  LEARNER_STATUS_WORDS,
  RUN_STATUS_WORDS,
  TRIGGER_WORDS,
  wordsFor,
  yearGroupWords,
} from "../../src/roster/labels.ts";
import { LEARNER_FIELDS } from "../../src/roster/fields.ts";
import { GRADE_CODES } from "../../src/roster/snapshot.ts";
import { RUN_STATUSES, RUN_TRIGGERS } from "../../src/db/schema/sync.ts";

describe("words for codes", () => {
  test("every grade has words, in US and GB speech, and never shows its code", () => {
    for (const code of GRADE_CODES) {
      for (const speech of ["us", "gb"] as const) {
        const words = gradeWords(code, speech);
        // Words, not a code: no "Unrecognised", no joined-up capitals such as "PreKindergarten".
        expect({ code, speech, coded: words === "Unrecognised grade" || /[a-z][A-Z]/.test(words) }).toEqual({ code, speech, coded: false });
      }
    }
    expect(gradeWords("TransitionalKindergarten")).toBe("Transitional kindergarten");
    expect(gradeWords("5")).toBe("Grade 5");
    expect(gradeWords("5", "gb")).toBe("Year 5");
    expect(gradeWords("Kindergarten", "gb")).toBe("Reception");
    expect(gradeWords("PreKindergarten", "gb")).toBe("Nursery");
  });

  test("a year group shows the school's label beside the grade only where they differ", () => {
    expect(yearGroupWords("5", "05")).toBe("05 (Grade 5)");
    expect(yearGroupWords("5", "Grade 5")).toBe("Grade 5");
    expect(yearGroupWords("10", "Y10", "gb")).toBe("Y10 (Year 10)");
  });

  test("every run status and trigger, every learner status and every written learner field has words", () => {
    for (const status of RUN_STATUSES) expect(RUN_STATUS_WORDS[status]).toBeDefined();
    for (const trigger of RUN_TRIGGERS) expect(TRIGGER_WORDS[trigger]).toBeDefined();
    for (const status of ["active", "inactive", "removed", "archived"]) expect(LEARNER_STATUS_WORDS[status]).toBeDefined();
    const written = LEARNER_FIELDS.flatMap((field) =>
      field.kind === "yearGroup"
        ? ["yearGroupCode", "yearGroupLabel"]
        : field.kind === "schools"
          ? ["schoolSourceId"]
          : field.kind === "enabled"
            ? ["enabledInSource"]
            : [field.name],
    );
    for (const field of written) expect({ field, words: FIELD_WORDS[field] }).toEqual({ field, words: expect.any(String) });
  });

  test("an unknown code reads as Other, never as itself", () => {
    expect(wordsFor(LEARNER_STATUS_WORDS, "frozen")).toBe("Other");
  });
});

describe("changes in words", () => {
  test("demographics are compared field by field, in words", () => {
    const lines = changeInWords({
      field: "demographics",
      before: { englishLanguageLearner: true, homeLanguage: "Spanish", ethnicity: ["Asian"] },
      after: { englishLanguageLearner: false, homeLanguage: "Spanish", ethnicity: ["Asian"] },
    });
    expect(lines).toEqual([{ field: "English language learner", before: "Yes", after: "No" }]);
  });

  test("a grade, a school and a gender are said, not coded", () => {
    const schoolName = (id: string) => ({ s1: "Maple Grove Elementary", s2: "Lincoln Middle School" })[id];
    expect(
      changesInWords(
        [
          { field: "yearGroupCode", before: "4", after: "5" },
          { field: "schoolSourceId", before: "s1", after: "s2" },
          { field: "gender", before: "female", after: "unknown" },
        ],
        { schoolName },
      ),
    ).toEqual([
      { field: "Grade", before: "Grade 4", after: "Grade 5" },
      { field: "School", before: "Maple Grove Elementary", after: "Lincoln Middle School" },
      { field: "Gender", before: "Female", after: "Not given" },
    ]);
  });

  test("what reads the same is no difference: '2' and '02', and one school under two systems' ids", () => {
    const schoolName = (id: string) => ({ "clever-s1": "Maple Grove Elementary", "or-s1": "Maple Grove Elementary" })[id];
    expect(
      changesInWords(
        [
          { field: "yearGroupLabel", before: "2", after: "02" },
          { field: "schoolSourceId", before: "clever-s1", after: "or-s1" },
        ],
        { schoolName },
      ),
    ).toEqual([]);
  });

  test("a UK school's year group says Year group, and the school's own label only when it says something more", () => {
    const promoted = (before: string, after: string) => [
      { field: "yearGroupCode", before: "12", after: "13" },
      { field: "yearGroupLabel", before, after },
    ];
    expect(changesInWords(promoted("Year 12", "Year 13"), { speech: "gb" })).toEqual([{ field: "Year group", before: "Year 12", after: "Year 13" }]);
    expect(changesInWords(promoted("Y12", "Y13"), { speech: "gb" })).toEqual([
      { field: "Year group", before: "Year 12", after: "Year 13" },
      { field: "Year group as the school writes it", before: "Y12", after: "Y13" },
    ]);
    expect(changesInWords(promoted("12", "13"), { speech: "us" })[0]).toEqual({ field: "Grade", before: "Grade 12", after: "Grade 13" });
  });
});
