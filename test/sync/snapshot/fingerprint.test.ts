/**
 * Links hold the fingerprint of the record they last applied, so a fingerprint must not move
 * when the code that computes it is reorganised: a moved fingerprint turns every learner of
 * every organization into "Synced" on its next run. The expected values were computed by the
 * fingerprint code that wrote the links in use.
 */
import { describe, expect, test } from "bun:test";
import type { SnapshotLearner } from "../../../src/roster/snapshot.ts";
import { LEARNER_FIELDS, LEARNER_FINGERPRINT_BASE } from "../../../src/roster/fields.ts";
import {
  academicSessionFingerprint,
  classFingerprint,
  educatorFingerprint,
  fieldsFingerprint,
  learnerFingerprint,
  schoolFingerprint,
} from "../../../src/sync/snapshot/fingerprint.ts";

const everyField: SnapshotLearner = {
  sourceId: "s1",
  schoolSourceIds: ["sch1", "sch2"],
  givenName: "Ada",
  familyName: "Lovelace",
  middleName: "Byron",
  preferredGivenName: "Addy",
  preferredFamilyName: "King",
  dateOfBirth: "2015-12-10",
  gender: "female",
  yearGroup: { code: "4", label: "Grade 4" },
  email: "ada@school.example",
  username: "alovelace",
  upn: "A123456789012",
  formerUpns: ["T123456789012"],
  stateId: "ST1",
  studentNumber: "1001",
  demographics: { homeLanguage: "en", ethnicity: ["White"], freeSchoolMeals: true },
};
const namesOnly: SnapshotLearner = { sourceId: "s2", schoolSourceIds: ["sch1"], givenName: "Bo", familyName: "Li" };

describe("fingerprints stay what stored links hold", () => {
  test("a learner with every field, and one with names only", () => {
    expect(learnerFingerprint(everyField)).toBe("2rg7n0gpjyulz");
    expect(learnerFingerprint(namesOnly)).toBe("1snt1mhsb9mky");
  });

  test("only a switched-off account adds to a learner's fingerprint", () => {
    expect(learnerFingerprint({ ...namesOnly, enabled: true })).toBe("1snt1mhsb9mky");
    expect(learnerFingerprint({ ...namesOnly, enabled: false })).toBe("104syk6aqa0xh");
  });

  test("demographics are fingerprinted whatever order the source lists them in", () => {
    const reordered = { ...everyField, demographics: { freeSchoolMeals: true, ethnicity: ["White"], homeLanguage: "en" } };
    expect(learnerFingerprint(reordered)).toBe("2rg7n0gpjyulz");
  });

  test("educators", () => {
    const educator = {
      sourceId: "t1",
      schoolSourceIds: ["sch1"],
      givenName: "Grace",
      familyName: "Hopper",
      title: "Ms",
      email: "g@x.example",
      username: "gh",
      staffNumber: "77",
      stateId: "T9",
    };
    expect(educatorFingerprint(educator)).toBe("w0m02zps00ub");
    expect(educatorFingerprint({ sourceId: "t2", schoolSourceIds: [], givenName: "A", familyName: "B" })).toBe("47p8dv1ozg4q");
  });
});

describe("fingerprints of classes, schools and academic sessions stay what stored links hold", () => {
  test("classes", () => {
    const maths = {
      sourceId: "c1",
      schoolSourceId: "sch1",
      kind: "subject_class" as const,
      name: "Maths 4",
      subject: "Maths",
      courseName: "Mathematics",
      yearGroups: [
        { code: "4" as const, label: "Grade 4" },
        { code: "5" as const, label: "Grade 5" },
      ],
      academicSessionSourceIds: ["t1", "t2"],
      period: "2",
    };
    expect(classFingerprint(maths)).toBe("ugbkgsd9jvha");
    expect(
      classFingerprint({ sourceId: "c2", schoolSourceId: "sch1", kind: "registration_group", name: "4R", yearGroups: [], academicSessionSourceIds: [] }),
    ).toBe("vmkssydf1x9n");
  });

  test("schools", () => {
    const maple = {
      sourceId: "sch1",
      name: "Maple",
      schoolNumber: "101",
      stateId: "S1",
      lowGrade: { code: "Kindergarten" as const, label: "K" },
      highGrade: { code: "5" as const, label: "5" },
    };
    expect(schoolFingerprint(maple)).toBe("371tgvbzo0zor");
    expect(schoolFingerprint({ sourceId: "sch2", name: "Cedar" })).toBe("na1carnfv93z");
  });

  test("academic sessions", () => {
    const fall = {
      sourceId: "t1",
      title: "Fall",
      type: "term" as const,
      startDate: "2026-08-20",
      endDate: "2026-12-20",
      schoolYear: 2027,
      parentSourceId: "y1",
      schoolSourceId: "sch1",
    };
    expect(academicSessionFingerprint(fall)).toBe("17r0qtoey5mt6");
    expect(academicSessionFingerprint({ sourceId: "y1", title: "2026-2027", type: "schoolYear" })).toBe("2khrfkjz0kmx9");
  });
});

test("a field added at the end of a list leaves the fingerprints of records without it as they were", () => {
  const withNewField = [...LEARNER_FIELDS, { name: "nationalNumber", kind: "text" }] as const;
  const learner = { ...namesOnly, yearGroup: { code: "4" as const, label: "Grade 4" } };
  const before = fieldsFingerprint(LEARNER_FIELDS, LEARNER_FINGERPRINT_BASE, learner);
  expect(fieldsFingerprint(withNewField, LEARNER_FINGERPRINT_BASE, learner)).toBe(before);
  expect(fieldsFingerprint(withNewField, LEARNER_FINGERPRINT_BASE, { ...learner, nationalNumber: "N1" })).not.toBe(before);
  expect(fieldsFingerprint(withNewField, LEARNER_FINGERPRINT_BASE, { ...learner, nationalNumber: "N2" })).not.toBe(
    fieldsFingerprint(withNewField, LEARNER_FINGERPRINT_BASE, { ...learner, nationalNumber: "N1" }),
  );
});
