/** A harness district as the OneRoster zip a district would upload, written by the demo's zip writer. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OneRosterZipWriter } from "../../src/roster/oneroster-zip.ts";
import type { District } from "./sync-harness.ts";

/** Writes the district (or, with no district, every file with its header and no rows) to a new zip. */
export async function districtZip(district?: District): Promise<string> {
  const writer = new OneRosterZipWriter();
  if (district) {
    for (const school of district.schools) writer.school(school);
    for (const session of district.sessions) writer.academicSession(session);
    for (const klass of district.classes) writer.class(klass);
    for (const educator of district.educators) writer.educator(educator);
    for (const learner of district.learners) writer.learner(learner);
    for (const enrolment of district.enrolments) writer.enrolment(enrolment);
  }
  const path = join(mkdtempSync(join(tmpdir(), "rollcall-district-")), "roster.zip");
  await writer.finish(path);
  return path;
}
