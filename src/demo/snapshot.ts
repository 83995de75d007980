/**
 * The demo district as snapshot records, in process: its Clever-shaped records through the
 * same mapping the Clever connector uses. Used to write the district as a OneRoster zip.
 */
import type { SnapshotSink } from "../roster/snapshot.ts";
import { classOf, educatorOf, learnerOf, schoolOf, termOf } from "../sources/clever/mapping.ts";
import type { CleverCourse, CleverSchool, CleverSection, CleverTerm, CleverUser } from "../sources/clever/types.ts";
import type { CleverCollection } from "./clever-api.ts";
import type { DemoDistrict } from "./district.ts";

function* all<T>(district: DemoDistrict, collection: CleverCollection): Generator<T> {
  let after: string | undefined;
  for (;;) {
    const page = district.page(collection, after, 1000);
    if (!page.length) return;
    yield* page as T[];
    after = page[page.length - 1]!.id;
  }
}

export function emitDemoDistrict(district: DemoDistrict, sink: SnapshotSink): void {
  const drop = () => {};
  for (const school of all<CleverSchool>(district, "schools")) sink.school(schoolOf(school));
  for (const term of all<CleverTerm>(district, "terms")) sink.academicSession(termOf(term));
  const courseNames = new Map<string, string>();
  for (const course of all<CleverCourse>(district, "courses")) courseNames.set(course.id, course.name ?? "");
  const sections = [...all<CleverSection>(district, "sections")];
  for (const section of sections) sink.class(classOf(section, courseNames));
  for (const user of all<CleverUser>(district, "students")) {
    const learner = learnerOf(user, drop, "students");
    if (learner) sink.learner(learner);
  }
  for (const user of all<CleverUser>(district, "teachers")) {
    const educator = educatorOf(user, drop, "teachers");
    if (educator) sink.educator(educator);
  }
  for (const section of sections) {
    for (const student of section.students ?? []) sink.enrolment({ classSourceId: section.id, personSourceId: student, role: "learner" });
    for (const teacher of section.teachers ?? [])
      sink.enrolment({ classSourceId: section.id, personSourceId: teacher, role: "educator", primary: teacher === section.teacher });
  }
}
