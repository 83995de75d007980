/**
 * An organization's roster out of Rollcall, as a OneRoster 1.1 CSV zip (the same writer as the
 * demo district's, src/roster/oneroster-zip.ts), so a school can take its data elsewhere or
 * check it. The roster is what the organization has now: schools, sessions, classes, educators
 * and learners that are active or deactivated (a deactivated learner's account is written as
 * turned off), with their places in classes; removed records waiting for the purge and last
 * years' archive are not part of it.
 *
 * Ids in the file are Rollcall's own, so every record has one, whichever source (or none) it
 * came from. Rows are read a page at a time, in one read-only snapshot of the database, so the
 * parts agree with each other and memory stays flat however large the district.
 */
import type { Readable } from "node:stream";
import { and, asc, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import type { Database, Db } from "../db/client.ts";
import { academicSessions, auditLog, classEducators, classes, educators, enrolments, learners, schools, yearGroups } from "../db/schema/index.ts";
import { OneRosterZipWriter, type WrittenLearner } from "../roster/oneroster-zip.ts";
import type { AcademicSessionType, ClassKind, Demographics, EntityCounts, Gender, GradeCode, SnapshotSink } from "../roster/snapshot.ts";

const PAGE = 5_000;
const CURRENT = ["active", "inactive"] as const;
const value = <T>(column: T | null): T | undefined => column ?? undefined;

/**
 * Walks a table a page at a time: `fetch` gets the key of the last row of the page before
 * (ordered by that key), `keyOf` says what a row's key is.
 */
async function eachPage<Row>(fetch: (after: string[] | undefined) => Promise<Row[]>, keyOf: (row: Row) => string[], emit: (row: Row) => void): Promise<number> {
  let count = 0;
  let after: string[] | undefined;
  for (;;) {
    const rows = await fetch(after);
    for (const row of rows) emit(row);
    count += rows.length;
    if (rows.length < PAGE) return count;
    after = keyOf(rows[rows.length - 1]!);
  }
}

const byId = (row: { id: string }) => [row.id];
const afterId = (column: Parameters<typeof gt>[0], after: string[] | undefined): SQL | undefined => (after ? gt(column, after[0]) : undefined);
const afterPair = (first: Parameters<typeof gt>[0], second: Parameters<typeof gt>[0], after: string[] | undefined): SQL | undefined =>
  after ? sql`(${first}, ${second}) > (${after[0]}, ${after[1]})` : undefined;

/** Emits the organization's current roster to `sink`, as a connector would; returns the counts. */
export async function emitRoster(db: Db, orgId: string, sink: SnapshotSink): Promise<EntityCounts> {
  return db.transaction(
    async (tx) => {
      const counts: EntityCounts = { schools: 0, academicSessions: 0, classes: 0, learners: 0, educators: 0, enrolments: 0 };
      counts.schools = await eachPage(
        (after) => tx.select().from(schools).where(and(eq(schools.orgId, orgId), inArray(schools.status, CURRENT), afterId(schools.id, after))).orderBy(asc(schools.id)).limit(PAGE),
        byId,
        (row) => sink.school({ sourceId: row.id, name: row.name, schoolNumber: value(row.schoolNumber), stateId: value(row.stateId) }),
      );
      counts.academicSessions = await eachPage(
        (after) =>
          tx.select().from(academicSessions).where(and(eq(academicSessions.orgId, orgId), inArray(academicSessions.status, CURRENT), afterId(academicSessions.id, after))).orderBy(asc(academicSessions.id)).limit(PAGE),
        byId,
        (row) =>
          sink.academicSession({
            sourceId: row.id,
            title: row.title,
            type: row.type as AcademicSessionType,
            startDate: value(row.startDate),
            endDate: value(row.endDate),
            schoolYear: value(row.schoolYear),
            parentSourceId: value(row.parentId),
            schoolSourceId: value(row.schoolId),
          }),
      );
      counts.classes = await eachPage(
        (after) => tx.select().from(classes).where(and(eq(classes.orgId, orgId), inArray(classes.status, CURRENT), afterId(classes.id, after))).orderBy(asc(classes.id)).limit(PAGE),
        byId,
        (row) =>
          sink.class({
            sourceId: row.id,
            schoolSourceId: row.schoolId ?? "",
            kind: row.kind as ClassKind,
            name: row.name,
            subject: value(row.subject),
            courseName: value(row.courseName),
            yearGroups: row.gradeCodes.map((code) => ({ code: code as GradeCode, label: code })),
            academicSessionSourceIds: row.academicSessionId ? [row.academicSessionId] : [],
            period: value(row.period),
          }),
      );
      counts.educators = await eachPage(
        (after) => tx.select().from(educators).where(and(eq(educators.orgId, orgId), inArray(educators.status, CURRENT), afterId(educators.id, after))).orderBy(asc(educators.id)).limit(PAGE),
        byId,
        (row) =>
          sink.educator({
            sourceId: row.id,
            schoolSourceIds: row.schoolId ? [row.schoolId] : [],
            givenName: row.givenName,
            familyName: row.familyName,
            title: value(row.title),
            email: value(row.email),
            username: value(row.username),
            staffNumber: value(row.staffNumber),
            stateId: value(row.stateId),
          }),
      );
      counts.learners = await eachPage(
        (after) =>
          tx
            .select({ learner: learners, yearGroupCode: yearGroups.code, yearGroupLabel: yearGroups.label })
            .from(learners)
            .leftJoin(yearGroups, eq(yearGroups.id, learners.yearGroupId))
            .where(and(eq(learners.orgId, orgId), inArray(learners.status, CURRENT), afterId(learners.id, after)))
            .orderBy(asc(learners.id))
            .limit(PAGE),
        (row) => [row.learner.id],
        ({ learner: row, yearGroupCode, yearGroupLabel }) => {
          const record: WrittenLearner = {
            sourceId: row.id,
            schoolSourceIds: row.schoolId ? [row.schoolId] : [],
            givenName: row.givenName,
            familyName: row.familyName,
            middleName: value(row.middleName),
            preferredGivenName: value(row.preferredGivenName),
            preferredFamilyName: value(row.preferredFamilyName),
            dateOfBirth: value(row.dateOfBirth),
            gender: value(row.gender) as Gender | undefined,
            yearGroup: yearGroupCode ? { code: yearGroupCode as GradeCode, label: yearGroupLabel ?? yearGroupCode } : undefined,
            email: value(row.email),
            username: value(row.username),
            upn: value(row.upn),
            formerUpns: value(row.formerUpns),
            stateId: value(row.stateId),
            studentNumber: value(row.studentNumber),
            demographics: value(row.demographics) as Demographics | undefined,
            disabled: row.status === "inactive",
          };
          sink.learner(record);
        },
      );
      // Places in classes, where both the class and the person are part of the export.
      const current = (table: typeof classes | typeof learners | typeof educators) => inArray(table.status, CURRENT);
      counts.enrolments += await eachPage(
        (after) =>
          tx
            .select({ classId: enrolments.classId, personId: enrolments.learnerId })
            .from(enrolments)
            .innerJoin(classes, eq(classes.id, enrolments.classId))
            .innerJoin(learners, eq(learners.id, enrolments.learnerId))
            .where(and(eq(enrolments.orgId, orgId), current(classes), current(learners), afterPair(enrolments.classId, enrolments.learnerId, after)))
            .orderBy(asc(enrolments.classId), asc(enrolments.learnerId))
            .limit(PAGE),
        (row) => [row.classId, row.personId],
        (row) => sink.enrolment({ classSourceId: row.classId, personSourceId: row.personId, role: "learner" }),
      );
      counts.enrolments += await eachPage(
        (after) =>
          tx
            .select({ classId: classEducators.classId, personId: classEducators.educatorId, primary: classEducators.isPrimary })
            .from(classEducators)
            .innerJoin(classes, eq(classes.id, classEducators.classId))
            .innerJoin(educators, eq(educators.id, classEducators.educatorId))
            .where(and(eq(classEducators.orgId, orgId), current(classes), current(educators), afterPair(classEducators.classId, classEducators.educatorId, after)))
            .orderBy(asc(classEducators.classId), asc(classEducators.educatorId))
            .limit(PAGE),
        (row) => [row.classId, row.personId],
        (row) => sink.enrolment({ classSourceId: row.classId, personSourceId: row.personId, role: "educator", primary: row.primary }),
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
  await database.db.insert(auditLog).values({
    orgId: input.orgId,
    actor: input.actor.kind,
    actorUserId: input.actor.kind === "user" ? input.actor.userId : null,
    action: "roster.exported",
    detail: counts,
  });
  return { zip: writer.finishToStream(), counts };
}
