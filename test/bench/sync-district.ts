/**
 * A generated district of any size for the sync benchmark, produced record by record so a
 * million learners never exist as one array: per 20 learners one educator, per 4 learners one
 * class, five classes per learner (so 1M learners give 50k educators, 250k classes and 5M
 * enrolments). `version` renames a share of the learners, for the 1% change re-sync.
 */
import type { SnapshotSink, ReadSummary, SnapshotLearner } from "../../src/roster/snapshot.ts";

export interface DistrictShape {
  learners: number;
  /** Every learner whose index % renameEvery === 0 gets a new family name (0: none). */
  renameEvery?: number;
  /** What the renamed learners' family names end with. */
  renameTag?: string;
}

const GIVEN = ["Ava", "Noah", "Mia", "Liam", "Zoe", "Ethan", "Isla", "Omar", "Priya", "Leo", "Sofia", "Kai", "Amara", "Jonah", "Lena", "Mateo"];
const FAMILY = ["Okafor", "Smith", "Nguyen", "Garcia", "Kowalski", "Patel", "Brown", "Haddad", "Jones", "Ito", "Silva", "Murphy"];
const GRADES = ["Kindergarten", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"] as const;
export const CLASSES_PER_LEARNER = 5;

export const counts = (learners: number) => ({
  learners,
  educators: Math.max(1, Math.ceil(learners / 20)),
  classes: Math.max(1, Math.ceil(learners / 4)),
  schools: Math.max(1, Math.ceil(learners / 2000)),
});

export function learnerAt(index: number, shape: DistrictShape): SnapshotLearner {
  const { schools } = counts(shape.learners);
  const grade = GRADES[index % GRADES.length]!;
  const renamed = shape.renameEvery && index % shape.renameEvery === 0;
  return {
    sourceId: `s${index}`,
    schoolSourceIds: [`sch${index % schools}`],
    givenName: GIVEN[index % GIVEN.length]!,
    familyName: `${FAMILY[(index >> 4) % FAMILY.length]!}${renamed ? (shape.renameTag ?? "-Moved") : ""}`,
    dateOfBirth: `${2019 - (index % GRADES.length)}-${String((index % 12) + 1).padStart(2, "0")}-${String((index % 28) + 1).padStart(2, "0")}`,
    gender: index % 2 ? "female" : "male",
    yearGroup: { code: grade, label: grade },
    studentNumber: `N${index}`,
    email: `s${index}@bench.test`,
  };
}

/** The class ids learner i is in: five consecutive classes, so each class has about twenty learners. */
export function classesOf(index: number, classCount: number): number[] {
  const first = Math.floor(index / 4);
  return Array.from({ length: CLASSES_PER_LEARNER }, (_, step) => (first + step * Math.ceil(classCount / CLASSES_PER_LEARNER)) % classCount);
}

export async function readDistrict(shape: DistrictShape, sink: SnapshotSink): Promise<ReadSummary> {
  const size = counts(shape.learners);
  for (let school = 0; school < size.schools; school++) sink.school({ sourceId: `sch${school}`, name: `School ${school}` });
  sink.academicSession({ sourceId: "y2026", title: "2025-2026", type: "schoolYear", startDate: "2025-08-20", endDate: "2026-06-10", schoolYear: 2026 });
  for (let klass = 0; klass < size.classes; klass++) {
    const grade = GRADES[klass % GRADES.length]!;
    sink.class({
      sourceId: `c${klass}`,
      schoolSourceId: `sch${klass % size.schools}`,
      kind: "subject_class",
      name: `Class ${klass}`,
      yearGroups: [{ code: grade, label: grade }],
      academicSessionSourceIds: ["y2026"],
    });
  }
  for (let educator = 0; educator < size.educators; educator++) {
    sink.educator({
      sourceId: `t${educator}`,
      schoolSourceIds: [`sch${educator % size.schools}`],
      givenName: "Teacher",
      familyName: `T${educator}`,
      email: `t${educator}@bench.test`,
    });
  }
  for (let index = 0; index < shape.learners; index++) sink.learner(learnerAt(index, shape));
  for (let index = 0; index < shape.learners; index++) {
    for (const klass of classesOf(index, size.classes)) sink.enrolment({ classSourceId: `c${klass}`, personSourceId: `s${index}`, role: "learner" });
  }
  for (let klass = 0; klass < size.classes; klass++)
    sink.enrolment({ classSourceId: `c${klass}`, personSourceId: `t${klass % size.educators}`, role: "educator", primary: true });
  return { source: "oneroster", mode: "full" };
}

/**
 * What an incremental read of the district delivers: only the renamed learners, as Clever's
 * users.updated events would, with a cursor for the next read.
 */
export async function readDistrictChanges(shape: DistrictShape, sink: SnapshotSink, cursor: string): Promise<ReadSummary> {
  if (shape.renameEvery) for (let index = 0; index < shape.learners; index += shape.renameEvery) sink.learner(learnerAt(index, shape));
  return { source: "oneroster", mode: "delta", cursor, classPlaces: "whole" };
}
