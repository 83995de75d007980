/**
 * Writes any snapshot (the demo district, or a generated one of a million learners) as a
 * OneRoster 1.1 bulk CSV zip. Records are written as they arrive, to one temporary CSV per
 * file (in batches through csv-stringify), and zipped at the end with yazl, so memory stays
 * flat however large the district: only each class's school is remembered, for enrollments.
 */
import { closeSync, createWriteStream, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import yazl from "yazl";
import type { SnapshotAcademicSession, SnapshotClass, SnapshotEducator, SnapshotEnrolment, SnapshotLearner, SnapshotSchool, SnapshotSink, YearGroup } from "./snapshot.ts";

const HEADERS = {
  orgs: ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"],
  academicSessions: ["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"],
  classes: ["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods"],
  users: ["sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username", "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password"],
  enrollments: ["sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate", "endDate"],
  demographics: ["sourcedId", "status", "dateLastModified", "birthDate", "sex", "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican", "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation", "cityOfBirth", "publicSchoolResidenceStatus"],
} as const;
type FileName = keyof typeof HEADERS;

const CEDS: Record<string, string> = { InfantToddler: "IT", Preschool: "PR", PreKindergarten: "PK", TransitionalKindergarten: "TK", Kindergarten: "KG", PostGraduate: "PS", Ungraded: "UG", Other: "Other" };
const cedsOf = (grade: YearGroup | undefined) => (grade ? (CEDS[grade.code] ?? grade.code.padStart(2, "0")) : "");
const BATCH = 5_000;

/** A sink that writes what it receives as OneRoster CSV; `finish` zips it. */
export class OneRosterZipWriter implements SnapshotSink {
  private readonly directory = mkdtempSync(join(tmpdir(), "rollcall-oneroster-write-"));
  private readonly files = new Map<FileName, { fd: number; rows: string[][] }>();
  private readonly schoolOfClass = new Map<string, string>();
  private enrolments = 0;

  constructor() {
    for (const name of Object.keys(HEADERS) as FileName[]) {
      const fd = openSync(join(this.directory, `${name}.csv`), "w");
      writeSync(fd, stringify([[...HEADERS[name]]]));
      this.files.set(name, { fd, rows: [] });
    }
  }

  private row(file: FileName, values: (string | number | undefined)[]): void {
    const target = this.files.get(file)!;
    target.rows.push(values.map((value) => (value === undefined ? "" : String(value))));
    if (target.rows.length >= BATCH) this.flush(target);
  }

  private flush(target: { fd: number; rows: string[][] }): void {
    if (!target.rows.length) return;
    writeSync(target.fd, stringify(target.rows));
    target.rows = [];
  }

  school(record: SnapshotSchool): void {
    this.row("orgs", [record.sourceId, "", "", record.name, "school", record.schoolNumber, ""]);
  }

  academicSession(record: SnapshotAcademicSession): void {
    this.row("academicSessions", [record.sourceId, "", "", record.title, record.type, record.startDate, record.endDate, record.parentSourceId, record.schoolYear]);
  }

  class(record: SnapshotClass): void {
    this.schoolOfClass.set(record.sourceId, record.schoolSourceId);
    const grades = record.yearGroups.map((grade) => cedsOf(grade)).join(",");
    this.row("classes", [record.sourceId, "", "", record.name, grades, "", "", record.kind === "registration_group" ? "homeroom" : "scheduled", "", record.schoolSourceId, record.academicSessionSourceIds.join(","), record.subject, "", record.period]);
  }

  learner(record: SnapshotLearner): void {
    this.row("users", [record.sourceId, "", "", "true", record.schoolSourceIds.join(","), "student", record.username ?? record.sourceId, "", record.givenName, record.familyName, record.middleName, record.studentNumber, record.email, "", "", "", cedsOf(record.yearGroup), ""]);
    if (record.dateOfBirth || record.gender) {
      const sex = record.gender === "female" || record.gender === "male" ? record.gender : record.gender ? "other" : "";
      this.row("demographics", [record.sourceId, "", "", record.dateOfBirth, sex, "", "", "", "", "", "", "", "", "", "", ""]);
    }
  }

  educator(record: SnapshotEducator): void {
    this.row("users", [record.sourceId, "", "", "true", record.schoolSourceIds.join(","), "teacher", record.username ?? record.sourceId, "", record.givenName, record.familyName, "", record.staffNumber, record.email, "", "", "", "", ""]);
  }

  enrolment(record: SnapshotEnrolment): void {
    this.enrolments++;
    this.row("enrollments", [`e${this.enrolments}`, "", "", record.classSourceId, this.schoolOfClass.get(record.classSourceId), record.personSourceId, record.role === "learner" ? "student" : "teacher", record.role === "educator" ? String(record.primary ?? false) : "", "", ""]);
  }

  tombstone(): void {}
  problem(): void {}

  /** Writes the zip (with its manifest) to `path` and removes the temporary files. */
  async finish(path: string): Promise<void> {
    for (const target of this.files.values()) {
      this.flush(target);
      closeSync(target.fd);
    }
    const zip = new yazl.ZipFile();
    const manifest = [["propertyName", "value"], ["manifest.version", "1.0"], ["oneroster.version", "1.1"], ["source.systemName", "Rollcall demo district"], ...(Object.keys(HEADERS) as FileName[]).map((name) => [`file.${name}`, "bulk"]), ...["courses", "categories", "classResources", "courseResources", "lineItems", "resources", "results"].map((name) => [`file.${name}`, "absent"])];
    zip.addBuffer(Buffer.from(stringify(manifest)), "manifest.csv");
    for (const name of Object.keys(HEADERS)) zip.addFile(join(this.directory, `${name}.csv`), `${name}.csv`);
    zip.end();
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(path);
      zip.outputStream.pipe(out).on("close", resolve).on("error", reject);
    });
    rmSync(this.directory, { recursive: true, force: true });
  }
}
