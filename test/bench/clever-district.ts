/**
 * The benchmark district (sync-district.ts: 1M learners give 50k teachers, 250k sections and
 * 5M student places) as Clever records, for the demo district's Clever-compatible server.
 * Every record is computed from its index, including each section's students (the inverse
 * of classesOf), so a million learners are served without being held.
 */
import type { CleverCollection, CleverRecords } from "../../src/demo/clever-api.ts";
import { CLASSES_PER_LEARNER, counts, learnerAt } from "./sync-district.ts";

const KIND = { school: 1, term: 2, section: 4, student: 5, teacher: 6 } as const;
const id = (kind: number, index: number) => `5f0dd3e0${kind.toString(16).padStart(2, "0")}${index.toString(16).padStart(14, "0")}`;
const indexOf = (value: string) => Number.parseInt(value.slice(10), 16);
export const BENCH_DISTRICT_ID = "5f0dd3e0000000000000be4c";
const stamp = "2026-08-01T00:00:00.000Z";

export class BenchCleverDistrict implements CleverRecords {
  readonly districtId = BENCH_DISTRICT_ID;
  private readonly size: ReturnType<typeof counts>;

  constructor(readonly learners: number) {
    this.size = counts(learners);
  }

  /** Learners in class c: those whose floor(i / 4) + step * stride is c (mod classes), for each step. */
  private studentsOf(klass: number): string[] {
    const stride = Math.ceil(this.size.classes / CLASSES_PER_LEARNER);
    const students: string[] = [];
    for (let step = 0; step < CLASSES_PER_LEARNER; step++) {
      const first = (((klass - step * stride) % this.size.classes) + this.size.classes) % this.size.classes;
      for (let index = first * 4; index < first * 4 + 4 && index < this.learners; index++) students.push(id(KIND.student, index));
    }
    return students;
  }

  private record(collection: CleverCollection, index: number): { id: string } | null {
    const { schools, classes, educators } = this.size;
    switch (collection) {
      case "districts":
        return index === 0 ? { id: BENCH_DISTRICT_ID } : null;
      case "schools":
        return index < schools
          ? ({
              id: id(KIND.school, index),
              district: BENCH_DISTRICT_ID,
              name: `School ${index}`,
              sis_id: String(index),
              school_number: String(index),
              low_grade: "Kindergarten",
              high_grade: "12",
              created: stamp,
              last_modified: stamp,
            } as { id: string })
          : null;
      case "terms":
        return index === 0
          ? ({ id: id(KIND.term, 0), district: BENCH_DISTRICT_ID, name: "2025-2026", start_date: "2025-08-20", end_date: "2026-06-10" } as { id: string })
          : null;
      case "sections": {
        if (index >= classes) return null;
        const teacher = id(KIND.teacher, index % educators);
        const grade = ["Kindergarten", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"][index % 13];
        return {
          id: id(KIND.section, index),
          district: BENCH_DISTRICT_ID,
          school: id(KIND.school, index % schools),
          name: `Class ${index}`,
          sis_id: `C${index}`,
          subject: "math",
          grade,
          students: this.studentsOf(index),
          teacher,
          teachers: [teacher],
          term_id: id(KIND.term, 0),
          created: stamp,
          last_modified: stamp,
        } as { id: string };
      }
      case "students": {
        if (index >= this.learners) return null;
        const learner = learnerAt(index, { learners: this.learners });
        const [year, month, day] = learner.dateOfBirth!.split("-");
        const school = id(KIND.school, index % schools);
        return {
          id: id(KIND.student, index),
          district: BENCH_DISTRICT_ID,
          email: learner.email,
          name: { first: learner.givenName, middle: "", last: learner.familyName },
          created: stamp,
          last_modified: stamp,
          roles: {
            student: {
              sis_id: learner.studentNumber,
              student_number: learner.studentNumber,
              state_id: "",
              school,
              schools: [school],
              grade: learner.yearGroup!.code,
              dob: `${Number(month)}/${Number(day)}/${year}`,
              gender: learner.gender === "female" ? "F" : "M",
              enrollments: [],
              credentials: { district_username: `s${index}` },
              ext: {},
            },
          },
        } as { id: string };
      }
      case "teachers": {
        if (index >= educators) return null;
        const school = id(KIND.school, index % schools);
        return {
          id: id(KIND.teacher, index),
          district: BENCH_DISTRICT_ID,
          email: `t${index}@bench.test`,
          name: { first: "Teacher", middle: "", last: `T${index}` },
          created: stamp,
          last_modified: stamp,
          roles: {
            teacher: {
              sis_id: `T${index}`,
              teacher_number: `T${index}`,
              school,
              schools: [school],
              title: "Teacher",
              credentials: { district_username: `t${index}` },
              ext: {},
            },
          },
        } as { id: string };
      }
      default:
        return null;
    }
  }

  page(collection: CleverCollection, startingAfter: string | undefined, limit: number): { id: string }[] {
    const records: { id: string }[] = [];
    for (let index = startingAfter ? indexOf(startingAfter) + 1 : 0; records.length < limit; index++) {
      const record = this.record(collection, index);
      if (!record) break;
      records.push(record);
    }
    return records;
  }

  find(collection: "users" | "sections", value: string): { id: string } | undefined {
    const kind = Number.parseInt(value.slice(8, 10), 16);
    if (collection === "sections" && kind === KIND.section) return this.record("sections", indexOf(value)) ?? undefined;
    if (collection === "users" && kind === KIND.student) return this.record("students", indexOf(value)) ?? undefined;
    if (collection === "users" && kind === KIND.teacher) return this.record("teachers", indexOf(value)) ?? undefined;
    return undefined;
  }
}
