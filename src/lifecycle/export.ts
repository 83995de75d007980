/**
 * An organization's roster out of Rollcall, as a OneRoster 1.1 CSV zip (the same writer as the
 * demo district's, src/roster/oneroster-zip.ts), so a school can take its data elsewhere or
 * check it. The roster is what the organization has now: schools, sessions, classes, educators
 * and learners that are active or deactivated (a deactivated learner's account is written as
 * turned off), with their places in classes; removed records waiting for the purge and last
 * years' archive are not part of it.
 *
 * Ids in the file are Rollcall's own, so every record has one, whichever source (or none) it
 * came from. Rows are read a page at a time through cursors, in one read-only snapshot of the
 * database, so the parts agree with each other and memory stays flat however large the district.
 */
import type { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import { type Database, type Db, queryRows } from "../db/client.ts";
import { isUuid } from "../db/queries/roster.ts";
import { OneRosterZipWriter } from "../roster/oneroster-zip.ts";
import type { AcademicSessionType, ClassKind, Demographics, EntityCounts, Gender, GradeCode, SnapshotLearner, SnapshotSink } from "../roster/snapshot.ts";
import { recordAudit } from "../db/queries/audit.ts";

const PAGE = 5_000;
const value = <T>(column: T | null): T | undefined => column ?? undefined;
/** Arrays and JSON come as text, so both drivers hand them over the same way. */
const parsed = <T>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

/**
 * Reads a query through a cursor, a page at a time: the query runs once, however many pages
 * (paging by key would sort or scan the organization's rows again for every page).
 */
async function eachRow<Row>(tx: Db, query: string, emit: (row: Row) => void): Promise<number> {
  await tx.execute(sql.raw(`declare roster_export no scroll cursor for ${query}`));
  let count = 0;
  for (;;) {
    const rows = await queryRows<Row>(tx, sql.raw(`fetch ${PAGE} from roster_export`));
    for (const row of rows) emit(row);
    count += rows.length;
    if (rows.length < PAGE) break;
  }
  await tx.execute(sql.raw(`close roster_export`));
  return count;
}

type Text = string | null;

/** Emits the organization's current roster to `sink`, as a connector would; returns the counts. */
export async function emitRoster(db: Db, orgId: string, sink: SnapshotSink): Promise<EntityCounts> {
  if (!isUuid(orgId)) throw new Error(`emitRoster: "${orgId}" is not an organization id`);
  // The id is checked above, so it can stand in the cursors' queries as it is.
  const current = (alias: string) => `${alias}.org_id = '${orgId}' and ${alias}.status in ('active', 'inactive')`;
  return db.transaction(
    async (tx) => {
      const counts: EntityCounts = { schools: 0, academicSessions: 0, classes: 0, learners: 0, educators: 0, enrolments: 0 };
      counts.schools = await eachRow<{ id: string; name: string; school_number: Text; state_id: Text }>(
        tx,
        `select s.id, s.name, s.school_number, s.state_id from schools s where ${current("s")} order by s.id`,
        (row) => sink.school({ sourceId: row.id, name: row.name, schoolNumber: value(row.school_number), stateId: value(row.state_id) }),
      );
      counts.academicSessions = await eachRow<{
        id: string;
        title: string;
        type: string;
        start_date: Text;
        end_date: Text;
        school_year: number | null;
        parent_id: Text;
        school_id: Text;
      }>(
        tx,
        `select a.id, a.title, a.type, a.start_date::text, a.end_date::text, a.school_year, a.parent_id, a.school_id from academic_sessions a where ${current("a")} order by a.id`,
        (row) =>
          sink.academicSession({
            sourceId: row.id,
            title: row.title,
            type: row.type as AcademicSessionType,
            startDate: value(row.start_date),
            endDate: value(row.end_date),
            schoolYear: value(row.school_year),
            parentSourceId: value(row.parent_id),
            schoolSourceId: value(row.school_id),
          }),
      );
      counts.classes = await eachRow<{
        id: string;
        school_id: Text;
        kind: string;
        name: string;
        subject: Text;
        course_name: Text;
        period: Text;
        grade_codes: string;
        academic_session_id: Text;
      }>(
        tx,
        `select c.id, c.school_id, c.kind, c.name, c.subject, c.course_name, c.period, array_to_json(c.grade_codes)::text as grade_codes, c.academic_session_id
         from classes c where ${current("c")} order by c.id`,
        (row) =>
          sink.class({
            sourceId: row.id,
            schoolSourceId: row.school_id ?? "",
            kind: row.kind as ClassKind,
            name: row.name,
            subject: value(row.subject),
            courseName: value(row.course_name),
            yearGroups: (JSON.parse(row.grade_codes) as GradeCode[]).map((code) => ({ code, label: code })),
            academicSessionSourceIds: row.academic_session_id ? [row.academic_session_id] : [],
            period: value(row.period),
          }),
      );
      counts.educators = await eachRow<{
        id: string;
        school_id: Text;
        given_name: string;
        family_name: string;
        title: Text;
        email: Text;
        username: Text;
        staff_number: Text;
        state_id: Text;
      }>(
        tx,
        `select e.id, e.school_id, e.given_name, e.family_name, e.title, e.email, e.username, e.staff_number, e.state_id from educators e where ${current("e")} order by e.id`,
        (row) =>
          sink.educator({
            sourceId: row.id,
            schoolSourceIds: row.school_id ? [row.school_id] : [],
            givenName: row.given_name,
            familyName: row.family_name,
            title: value(row.title),
            email: value(row.email),
            username: value(row.username),
            staffNumber: value(row.staff_number),
            stateId: value(row.state_id),
          }),
      );
      type LearnerRow = Record<"id" | "given_name" | "family_name" | "status", string> & { enabled_in_source: boolean } & Record<
          | "school_id"
          | "middle_name"
          | "preferred_given_name"
          | "preferred_family_name"
          | "date_of_birth"
          | "gender"
          | "email"
          | "username"
          | "upn"
          | "former_upns"
          | "state_id"
          | "student_number"
          | "demographics"
          | "code"
          | "label",
          Text
        >;
      counts.learners = await eachRow<LearnerRow>(
        tx,
        `select x.id, x.school_id, x.given_name, x.family_name, x.middle_name, x.preferred_given_name, x.preferred_family_name, x.date_of_birth::text, x.gender,
                x.email, x.username, x.upn, array_to_json(x.former_upns)::text as former_upns, x.state_id, x.student_number, x.demographics::text as demographics,
                x.status, x.enabled_in_source, y.code, y.label
         from learners x left join year_groups y on y.id = x.year_group_id where ${current("x")} order by x.id`,
        (row) => {
          const record: SnapshotLearner = {
            sourceId: row.id,
            schoolSourceIds: row.school_id ? [row.school_id] : [],
            givenName: row.given_name,
            familyName: row.family_name,
            middleName: value(row.middle_name),
            preferredGivenName: value(row.preferred_given_name),
            preferredFamilyName: value(row.preferred_family_name),
            dateOfBirth: value(row.date_of_birth),
            gender: value(row.gender) as Gender | undefined,
            yearGroup: row.code ? { code: row.code as GradeCode, label: row.label ?? row.code } : undefined,
            email: value(row.email),
            username: value(row.username),
            upn: value(row.upn),
            formerUpns: parsed<string[]>(row.former_upns),
            stateId: value(row.state_id),
            studentNumber: value(row.student_number),
            demographics: parsed<Demographics>(row.demographics),
            // A deactivated learner, or one the source switched off, is written as a switched-off account.
            enabled: row.status === "inactive" || !row.enabled_in_source ? false : undefined,
          };
          sink.learner(record);
        },
      );
      // Places in classes, where both the class and the person are part of the export (in no
      // particular order: sorting five million places would cost more than it gives).
      counts.enrolments += await eachRow<{ class_id: string; person_id: string }>(
        tx,
        `select m.class_id, m.learner_id as person_id from enrolments m join classes c on c.id = m.class_id join learners x on x.id = m.learner_id
         where m.org_id = '${orgId}' and ${current("c")} and ${current("x")}`,
        (row) => sink.enrolment({ classSourceId: row.class_id, personSourceId: row.person_id, role: "learner" }),
      );
      counts.enrolments += await eachRow<{ class_id: string; person_id: string; is_primary: boolean }>(
        tx,
        `select m.class_id, m.educator_id as person_id, m.is_primary from class_educators m join classes c on c.id = m.class_id join educators e on e.id = m.educator_id
         where m.org_id = '${orgId}' and ${current("c")} and ${current("e")}`,
        (row) => sink.enrolment({ classSourceId: row.class_id, personSourceId: row.person_id, role: "educator", primary: row.is_primary }),
      );
      return counts;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

export type ExportActor = { kind: "user"; userId: string } | { kind: "operator" };

/**
 * The roster as a zip stream, with its counts; the export is recorded in the audit log (counts
 * only). The stream removes the writer's temporary files once it has been read.
 */
export async function exportRoster(database: Database, input: { orgId: string; actor: ExportActor }): Promise<{ zip: Readable; counts: EntityCounts }> {
  const writer = new OneRosterZipWriter("Rollcall");
  let counts: EntityCounts;
  try {
    counts = await emitRoster(database.db, input.orgId, writer);
  } catch (error) {
    writer.discard();
    throw error;
  }
  await recordAudit(database.db, {
    orgId: input.orgId,
    actor: input.actor.kind,
    actorUserId: input.actor.kind === "user" ? input.actor.userId : null,
    action: "roster.exported",
    detail: counts,
  });
  return { zip: writer.finishToStream(), counts };
}
