/**
 * The compact parts of a run's memory: learners kept by interned id (whole or unchanged),
 * sets of source ids over that numbering, and the row ids a run gives new rows.
 */
import { describe, expect, test } from "bun:test";
import { GRADE_CODES, type SnapshotLearner } from "../../../src/roster/snapshot.ts";
import { learnerFingerprint } from "../../../src/sync/snapshot/fingerprint.ts";
import { IdSet } from "../../../src/lib/compact/id-set.ts";
import { CreatedRowIds } from "../../../src/lib/compact/row-ids.ts";
import { Interner } from "../../../src/lib/compact/string-table.ts";
import { SnapshotStore } from "../../../src/sync/snapshot/store.ts";
import { learnerFieldsOf } from "../../../src/sync/reconcile/fields.ts";
import { NewLearnerItem, NewLearnerSource } from "../../../src/sync/reconcile/new-learner.ts";

const learner = (index: number, extra: Partial<SnapshotLearner> = {}): SnapshotLearner => ({
  sourceId: `s${index}`,
  schoolSourceIds: ["school"],
  givenName: `Zoë "${index}"\t`,
  familyName: "O'Neil\\Smith",
  yearGroup: { code: GRADE_CODES[index % 13]!, label: `Year ${index % 13}` },
  ...extra,
});

describe("learners in the snapshot store", () => {
  test("a learner kept whole comes back exactly, with its fingerprint; an unchanged one keeps only its grade", () => {
    const known = new Map([["s1", learnerFingerprint(learner(1))]]);
    const store = new SnapshotStore({ knownFingerprint: (sourceId) => known.get(sourceId) });
    // An enrolment read first numbers the id before its learner arrives.
    store.enrolment({ classSourceId: "c1", personSourceId: "s2", role: "learner" });
    for (let index = 0; index < 3000; index++) store.learner(learner(index));
    expect(store.learners.get("s2")).toEqual(learner(2));
    expect(store.learners.fingerprintOf("s2")).toBe(learnerFingerprint(learner(2)));
    expect(store.learners.isUnchanged("s1")).toBe(true);
    expect(store.learners.get("s1")).toBeUndefined();
    expect(store.learners.gradeOf("s1")).toBe(GRADE_CODES[1]);
    expect(store.learners.gradeOf("s2")).toBe(GRADE_CODES[2]);
    expect(store.learners.has("s3000")).toBe(false);
    expect(store.learnerCount).toBe(3000);
    expect([...store.learners.unchanged()]).toEqual(["s1"]);
    expect([...store.learners.keptWhole()].slice(0, 3)).toEqual(["s2", "s0", "s3"]);
  });

  test("a learner kept whole's year group is there without unpacking it; a learner read again keeps the last", () => {
    const known = new Map([["s1", learnerFingerprint(learner(1))]]);
    const store = new SnapshotStore({ knownFingerprint: (sourceId) => known.get(sourceId) });
    for (let index = 0; index < 3000; index++) store.learner(learner(index));
    store.learner(learner(5, { yearGroup: undefined }));
    expect(store.learners.yearGroupOf("s2")).toEqual({ code: GRADE_CODES[2]!, label: "Year 2" });
    expect(store.learners.yearGroupOf("s2999")).toEqual(learner(2999).yearGroup!);
    expect(store.learners.yearGroupOf("s5")).toBeUndefined();
    // Unchanged and unknown learners have none to give: nothing of theirs is written.
    expect(store.learners.yearGroupOf("s1")).toBeUndefined();
    expect(store.learners.yearGroupOf("s3000")).toBeUndefined();
  });

  test("every field a learner can have survives packing, and absent ones stay absent", () => {
    const full: SnapshotLearner = learner(9, {
      middleName: "Ann",
      preferredGivenName: "Zee",
      preferredFamilyName: "Smyth",
      dateOfBirth: "2014-02-29",
      gender: "female",
      email: "zoe@school.test",
      username: "zoe9",
      upn: "A123456789012",
      formerUpns: ["B123456789012"],
      stateId: "ST9",
      studentNumber: "N9",
      demographics: { ethnicity: ["White"], specialEducation: true, homeLanguage: "cy" },
    });
    const store = new SnapshotStore();
    store.learner(full);
    store.learner(learner(10));
    expect(store.learners.get("s9")).toEqual(full);
    expect(Object.keys(store.learners.get("s9")!).sort()).toEqual(Object.keys(full).sort());
    expect(Object.keys(store.learners.get("s10")!).sort()).toEqual(["familyName", "givenName", "schoolSourceIds", "sourceId", "yearGroup"]);
  });

  test("a learner read again replaces the first reading, whole or unchanged", () => {
    let known: string | undefined;
    const store = new SnapshotStore({ knownFingerprint: () => known });
    store.learner(learner(7));
    store.learner(learner(7, { familyName: "Later" }));
    expect(store.learners.get("s7")?.familyName).toBe("Later");
    known = learnerFingerprint(learner(7));
    store.learner(learner(7));
    expect(store.learners.isUnchanged("s7")).toBe(true);
    expect(store.learners.keptWholeCount).toBe(0);
    expect(store.learnerCount).toBe(1);
  });
});

describe("sets of source ids", () => {
  test("hold each id once, answer for ids never numbered, and list members in numbering order", () => {
    const ids = new Interner();
    ids.intern("a");
    const set = new IdSet(ids);
    for (let index = 5000; index > 0; index--) set.add(`p${index % 2500}`);
    expect(set.size).toBe(2500);
    expect(set.has("p1")).toBe(true);
    expect(set.has("a")).toBe(false);
    expect(set.has("never")).toBe(false);
    expect([...set][0]).toBe("p0");
    expect([...set]).toHaveLength(2500);
  });
});

describe("row ids given to created rows", () => {
  test("are distinct version 7 UUIDs, rising in the order given, the same each time they are asked for", () => {
    const created = new CreatedRowIds();
    for (let index = 0; index < 5000; index++) created.add(`s${index}`);
    const ids = Array.from({ length: 5000 }, (_, index) => created.get(`s${index}`)!);
    expect(new Set(ids).size).toBe(5000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Given in rising order, as a primary key's index likes them; the first names the run's start.
    expect(ids.toSorted()).toEqual(ids);
    const startMs = Number.parseInt(ids[0]!.replaceAll("-", "").slice(0, 12), 16);
    expect(Math.abs(startMs - Date.now())).toBeLessThan(60_000);
    expect(created.get("s4321")).toBe(ids[4321]!);
    created.add("s4321");
    expect(created.get("s4321")).toBe(ids[4321]!);
    expect(created.has("s5000")).toBe(false);
    expect(created.size).toBe(5000);
  });
});

describe("a New learner's year group", () => {
  test("is the one its worked-out fields give: an empty label is the code, an empty code is none", () => {
    const store = new SnapshotStore();
    const groups = [{ code: "5", label: "Grade 5" }, { code: "5", label: "" }, { code: "", label: "Lost" }, undefined] as const;
    for (const [index, yearGroup] of groups.entries()) store.learner(learner(index, { yearGroup: yearGroup as SnapshotLearner["yearGroup"] }));
    const source = new NewLearnerSource(store, (sourceId) => ({
      values: learnerFieldsOf(store.learners.get(sourceId)!),
      flags: undefined,
      initial: {},
      label: sourceId,
    }));
    for (let index = 0; index < groups.length; index++) {
      const item = new NewLearnerItem(`s${index}`, source);
      const code = item.fields.yearGroupCode;
      expect({ index, group: item.yearGroup }).toEqual({ index, group: code ? { code, label: item.fields.yearGroupLabel ?? code } : null });
    }
    expect(new NewLearnerItem("s1", source).yearGroup).toEqual({ code: "5", label: "5" });
  });
});
