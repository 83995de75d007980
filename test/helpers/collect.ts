/** A sink that keeps everything a read delivers, for tests that look at the records themselves. */
import type {
  Problem,
  SnapshotAcademicSession,
  SnapshotClass,
  SnapshotEducator,
  SnapshotEnrolment,
  SnapshotLearner,
  SnapshotSchool,
  SnapshotSink,
  Tombstone,
} from "../../src/roster/snapshot.ts";

export class CollectingSink implements SnapshotSink {
  schools: SnapshotSchool[] = [];
  academicSessions: SnapshotAcademicSession[] = [];
  classes: SnapshotClass[] = [];
  learners: SnapshotLearner[] = [];
  educators: SnapshotEducator[] = [];
  enrolments: SnapshotEnrolment[] = [];
  tombstones: Tombstone[] = [];
  problems: Problem[] = [];
  school(record: SnapshotSchool) {
    this.schools.push(record);
  }
  academicSession(record: SnapshotAcademicSession) {
    this.academicSessions.push(record);
  }
  class(record: SnapshotClass) {
    this.classes.push(record);
  }
  learner(record: SnapshotLearner) {
    this.learners.push(record);
  }
  educator(record: SnapshotEducator) {
    this.educators.push(record);
  }
  enrolment(record: SnapshotEnrolment) {
    this.enrolments.push(record);
  }
  tombstone(record: Tombstone) {
    this.tombstones.push(record);
  }
  problem(problem: Problem) {
    this.problems.push(problem);
  }
}

/** Serves a fetch handler on a loopback port for the length of a test file. */
export function serve(fetch: (request: Request) => Response | Promise<Response>) {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}
