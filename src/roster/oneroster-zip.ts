/**
 * Writes any snapshot (the demo district, a generated one of a million learners, or an
 * organization's roster exported from the database) as a OneRoster 1.1 bulk CSV zip. Records
 * are written as they arrive, to one temporary CSV per file (in batches through csv-stringify),
 * and zipped at the end with yazl, so memory stays flat however large the district: only each
 * class's school and the courses are remembered.
 *
 * Values are written exactly as they are, so the zip reads back through Rollcall's own reader
 * (src/sources/oneroster) as the same roster:
 * - nothing is invented: a learner without a username gets an empty username, not their id;
 * - cells are not escaped against spreadsheet formulas (csv-stringify's `escape_formulas`),
 *   since that prefixes a quote to values such as "=Smith" or "+44..." and changes them. The
 *   zip is a data file for import into a roster system, not a report to open in a spreadsheet.
 */
import { closeSync, createWriteStream, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import yazl from "yazl";
import { cedsCode } from "./normalise/index.ts";
import type {
  Demographics,
  SnapshotAcademicSession,
  SnapshotClass,
  SnapshotEducator,
  SnapshotEnrolment,
  SnapshotLearner,
  SnapshotSchool,
  SnapshotSink,
  YearGroup,
} from "./snapshot.ts";

const HEADERS = {
  orgs: ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"],
  academicSessions: ["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"],
  courses: ["sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes"],
  classes: [
    "sourcedId",
    "status",
    "dateLastModified",
    "title",
    "grades",
    "courseSourcedId",
    "classCode",
    "classType",
    "location",
    "schoolSourcedId",
    "termSourcedIds",
    "subjects",
    "subjectCodes",
    "periods",
  ],
  // The preferred names are OneRoster 1.2's columns, added at the end: 1.1 has nowhere else for them.
  users: [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "orgSourcedIds",
    "role",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "preferredGivenName",
    "preferredFamilyName",
  ],
  enrollments: ["sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate", "endDate"],
  demographics: [
    "sourcedId",
    "status",
    "dateLastModified",
    "birthDate",
    "sex",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "countryOfBirthCode",
    "stateOfBirthAbbreviation",
    "cityOfBirth",
    "publicSchoolResidenceStatus",
  ],
} as const;
type FileName = keyof typeof HEADERS;
/** Files written only when they have rows (the rest always are, header and all). */
const OPTIONAL_FILES: readonly FileName[] = ["courses"];
const ABSENT_FILES = ["categories", "classResources", "courseResources", "lineItems", "resources", "results"];

const cedsOf = (grade: YearGroup | undefined) => (grade ? cedsCode(grade.code) : "");
/** The race columns of demographics.csv, in file order, under the labels the reader gives them. */
const RACES = [
  "American Indian or Alaska Native",
  "Asian",
  "Black or African American",
  "Native Hawaiian or Other Pacific Islander",
  "White",
  "Two or more races",
];
const SEX = { female: "female", male: "male", other: "other", unknown: "unspecified" } as const;
const BATCH = 5_000;

const flag = (value: boolean | undefined) => (value === undefined ? "" : String(value));
/** OneRoster 1.1's userIds: "{type:identifier}" entries in one list cell. */
const userIds = (ids: [string, string | undefined][]) =>
  ids
    .filter((entry): entry is [string, string] => Boolean(entry[1]))
    .map(([type, id]) => `{${type}:${id}}`)
    .join(",");

/** A learner as the writer takes it: a snapshot learner, and whether their account is turned off. */

/** A sink that writes what it receives as OneRoster CSV; `finish` zips it. */
export class OneRosterZipWriter implements SnapshotSink {
  private readonly directory = mkdtempSync(join(tmpdir(), "rollcall-oneroster-write-"));
  private readonly files = new Map<FileName, { fd: number; rows: string[][]; written: number }>();
  private readonly schoolOfClass = new Map<string, string>();
  private readonly courses = new Map<string, string>();
  private enrolments = 0;
  private closed = false;

  /** `systemName` goes into the manifest as the system the roster comes from. */
  constructor(private readonly systemName = "Rollcall demo district") {
    for (const name of Object.keys(HEADERS) as FileName[]) {
      const fd = openSync(join(this.directory, `${name}.csv`), "w");
      writeSync(fd, stringify([[...HEADERS[name]]]));
      this.files.set(name, { fd, rows: [], written: 0 });
    }
  }

  private row(file: FileName, values: (string | number | undefined | null)[]): void {
    const target = this.files.get(file)!;
    target.rows.push(values.map((value) => (value === undefined || value === null ? "" : String(value))));
    target.written++;
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
    this.row("academicSessions", [
      record.sourceId,
      "",
      "",
      record.title,
      record.type,
      record.startDate,
      record.endDate,
      record.parentSourceId,
      record.schoolYear,
    ]);
  }

  /** One course per course name and school: OneRoster keeps a class's course title in courses.csv. */
  private courseOf(record: SnapshotClass): string {
    if (!record.courseName) return "";
    const key = `${record.schoolSourceId}\u0000${record.courseName}`;
    let id = this.courses.get(key);
    if (!id) {
      id = `course-${this.courses.size + 1}`;
      this.courses.set(key, id);
      this.row("courses", [id, "", "", "", record.courseName, "", "", record.schoolSourceId, "", ""]);
    }
    return id;
  }

  class(record: SnapshotClass): void {
    this.schoolOfClass.set(record.sourceId, record.schoolSourceId);
    const grades = record.yearGroups.map((grade) => cedsOf(grade)).join(",");
    this.row("classes", [
      record.sourceId,
      "",
      "",
      record.name,
      grades,
      this.courseOf(record),
      "",
      record.kind === "registration_group" ? "homeroom" : "scheduled",
      "",
      record.schoolSourceId,
      record.academicSessionSourceIds.join(","),
      record.subject,
      "",
      record.period,
    ]);
  }

  learner(record: SnapshotLearner): void {
    const ids = userIds([["UPN", record.upn], ...(record.formerUpns ?? []).map((upn): [string, string] => ["formerUPN", upn]), ["stateID", record.stateId]]);
    this.row("users", [
      record.sourceId,
      "",
      "",
      String(record.enabled !== false),
      record.schoolSourceIds.join(","),
      "student",
      record.username,
      ids,
      record.givenName,
      record.familyName,
      record.middleName,
      record.studentNumber,
      record.email,
      "",
      "",
      "",
      cedsOf(record.yearGroup),
      "",
      record.preferredGivenName,
      record.preferredFamilyName,
    ]);
    if (record.dateOfBirth || record.gender || record.demographics)
      this.row("demographics", [
        record.sourceId,
        "",
        "",
        record.dateOfBirth,
        record.gender ? SEX[record.gender] : "",
        ...races(record.demographics),
        "",
        "",
        "",
        "",
      ]);
  }

  educator(record: SnapshotEducator): void {
    this.row("users", [
      record.sourceId,
      "",
      "",
      "true",
      record.schoolSourceIds.join(","),
      "teacher",
      record.username,
      userIds([["stateID", record.stateId]]),
      record.givenName,
      record.familyName,
      "",
      record.staffNumber,
      record.email,
      "",
      "",
      "",
      "",
      "",
      "",
      "",
    ]);
  }

  enrolment(record: SnapshotEnrolment): void {
    this.enrolments++;
    this.row("enrollments", [
      `e${this.enrolments}`,
      "",
      "",
      record.classSourceId,
      this.schoolOfClass.get(record.classSourceId),
      record.personSourceId,
      record.role === "learner" ? "student" : "teacher",
      record.role === "educator" ? String(record.primary ?? false) : "",
      "",
      "",
    ]);
  }

  tombstone(): void {}
  problem(): void {}

  /** The zip (with its manifest) as a stream; the temporary files go once it has been read. */
  finishToStream(): Readable {
    for (const target of this.files.values()) this.flush(target);
    this.closeFiles();
    const names = (Object.keys(HEADERS) as FileName[]).filter((name) => !OPTIONAL_FILES.includes(name) || this.files.get(name)!.written > 0);
    const absent = [...(Object.keys(HEADERS) as FileName[]).filter((name) => !names.includes(name)), ...ABSENT_FILES];
    const zip = new yazl.ZipFile();
    const manifest = [
      ["propertyName", "value"],
      ["manifest.version", "1.0"],
      ["oneroster.version", "1.1"],
      ["source.systemName", this.systemName],
      ...names.map((name) => [`file.${name}`, "bulk"]),
      ...absent.map((name) => [`file.${name}`, "absent"]),
    ];
    zip.addBuffer(Buffer.from(stringify(manifest)), "manifest.csv");
    for (const name of names) zip.addFile(join(this.directory, `${name}.csv`), `${name}.csv`);
    zip.end();
    const output = zip.outputStream as Readable;
    output.once("end", () => this.discard());
    output.once("error", () => this.discard());
    output.once("close", () => this.discard());
    return output;
  }

  /** Writes the zip to `path` and removes the temporary files. */
  async finish(path: string): Promise<void> {
    const zip = this.finishToStream();
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(path);
      zip.on("error", reject);
      zip.pipe(out).on("close", resolve).on("error", reject);
    });
  }

  /** Removes the temporary files (they hold the roster) without writing a zip. */
  discard(): void {
    this.closeFiles();
    rmSync(this.directory, { recursive: true, force: true });
  }

  private closeFiles(): void {
    if (this.closed) return;
    this.closed = true;
    for (const target of this.files.values()) closeSync(target.fd);
  }
}

function races(demographics: Demographics | undefined): string[] {
  const ethnicity = new Set(demographics?.ethnicity ?? []);
  return [...RACES.map((race) => (demographics?.ethnicity ? String(ethnicity.has(race)) : "")), flag(demographics?.hispanicOrLatino)];
}
