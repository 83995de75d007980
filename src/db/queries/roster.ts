/**
 * Read models for the roster pages. Every function takes the organization id from the
 * session and filters by it, so another organization's id simply finds nothing (404).
 */
import { and, asc, count, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client.ts";
import { classEducators, classes, educators, enrolments, learners, schools, sourceLinks, yearGroups } from "../schema/index.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

export const PAGE_SIZE = 50;

export interface LearnerFilter {
  search?: string | undefined;
  status?: "active" | "inactive" | "removed" | "archived" | undefined;
  page: number;
}

export async function listLearners(db: Db, orgId: string, filter: LearnerFilter) {
  const conditions: SQL[] = [eq(learners.orgId, orgId), eq(learners.status, filter.status ?? "active")];
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[%_\\]/g, (match) => `\\${match}`)}%`;
    conditions.push(
      or(
        ilike(learners.givenName, pattern),
        ilike(learners.familyName, pattern),
        ilike(learners.preferredGivenName, pattern),
        eq(learners.upn, filter.search.toUpperCase()),
      )!,
    );
  }
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: learners.id,
        givenName: learners.givenName,
        familyName: learners.familyName,
        preferredGivenName: learners.preferredGivenName,
        yearGroup: yearGroups.label,
        yearGroupCode: yearGroups.code,
        school: schools.name,
        status: learners.status,
        linked: sql<boolean>`exists (select 1 from ${sourceLinks} where ${sourceLinks.entityId} = ${learners.id})`,
      })
      .from(learners)
      .leftJoin(yearGroups, eq(yearGroups.id, learners.yearGroupId))
      .leftJoin(schools, eq(schools.id, learners.schoolId))
      .where(where)
      .orderBy(asc(learners.familyName), asc(learners.givenName), asc(learners.id))
      .limit(PAGE_SIZE)
      .offset((filter.page - 1) * PAGE_SIZE),
    db.select({ value: count() }).from(learners).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}

export async function findLearner(db: Db, orgId: string, learnerId: string) {
  if (!isUuid(learnerId)) return null;
  const [learner] = await db
    .select({
      id: learners.id,
      givenName: learners.givenName,
      familyName: learners.familyName,
      middleName: learners.middleName,
      preferredGivenName: learners.preferredGivenName,
      preferredFamilyName: learners.preferredFamilyName,
      dateOfBirth: learners.dateOfBirth,
      gender: learners.gender,
      email: learners.email,
      emailVerifiedAt: learners.emailVerifiedAt,
      upn: learners.upn,
      stateId: learners.stateId,
      studentNumber: learners.studentNumber,
      yearGroup: yearGroups.label,
      yearGroupCode: yearGroups.code,
      school: schools.name,
      status: learners.status,
      hasAccess: learners.hasAccess,
      accessRemoved: learners.accessRemoved,
      enabledInSource: learners.enabledInSource,
      gradePlacement: learners.gradePlacement,
      journeyProductId: learners.journeyProductId,
      updatedAt: learners.updatedAt,
    })
    .from(learners)
    .leftJoin(yearGroups, eq(yearGroups.id, learners.yearGroupId))
    .leftJoin(schools, eq(schools.id, learners.schoolId))
    .where(and(eq(learners.orgId, orgId), eq(learners.id, learnerId)));
  if (!learner) return null;
  const [memberOf, links] = await Promise.all([
    db
      .select({ id: classes.id, name: sql<string>`coalesce(${classes.nameOverride}, ${classes.name})`, kind: classes.kind })
      .from(enrolments)
      .innerJoin(classes, eq(classes.id, enrolments.classId))
      .where(and(eq(enrolments.orgId, orgId), eq(enrolments.learnerId, learnerId)))
      .orderBy(asc(classes.name)),
    db
      .select({ source: sourceLinks.source, sourceId: sourceLinks.sourceId, linkedAt: sourceLinks.linkedAt })
      .from(sourceLinks)
      .where(and(eq(sourceLinks.orgId, orgId), eq(sourceLinks.entityId, learnerId))),
  ]);
  return { ...learner, classes: memberOf, links };
}

export async function listClasses(db: Db, orgId: string, page: number) {
  const where = and(eq(classes.orgId, orgId), eq(classes.status, "active"));
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: classes.id,
        name: classes.name,
        nameOverride: classes.nameOverride,
        kind: classes.kind,
        school: schools.name,
        gradeCodes: classes.gradeCodes,
        learners: sql<number>`(select count(*)::int from ${enrolments} where ${enrolments.classId} = ${classes.id})`,
      })
      .from(classes)
      .leftJoin(schools, eq(schools.id, classes.schoolId))
      .where(where)
      .orderBy(asc(schools.name), asc(classes.name), asc(classes.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    db.select({ value: count() }).from(classes).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}

export async function findClass(db: Db, orgId: string, classId: string) {
  if (!isUuid(classId)) return null;
  const [found] = await db
    .select({
      id: classes.id,
      name: classes.name,
      nameOverride: classes.nameOverride,
      kind: classes.kind,
      subject: classes.subject,
      school: schools.name,
      gradeCodes: classes.gradeCodes,
      status: classes.status,
    })
    .from(classes)
    .leftJoin(schools, eq(schools.id, classes.schoolId))
    .where(and(eq(classes.orgId, orgId), eq(classes.id, classId)));
  if (!found) return null;
  const [members, teachers] = await Promise.all([
    db
      .select({ id: learners.id, givenName: learners.givenName, familyName: learners.familyName, preferredGivenName: learners.preferredGivenName })
      .from(enrolments)
      .innerJoin(learners, eq(learners.id, enrolments.learnerId))
      .where(and(eq(enrolments.orgId, orgId), eq(enrolments.classId, classId)))
      .orderBy(asc(learners.familyName), asc(learners.givenName)),
    db
      .select({ id: educators.id, givenName: educators.givenName, familyName: educators.familyName, title: educators.title })
      .from(classEducators)
      .innerJoin(educators, eq(educators.id, classEducators.educatorId))
      .where(and(eq(classEducators.orgId, orgId), eq(classEducators.classId, classId))),
  ]);
  return { ...found, members, teachers };
}

export async function rosterCounts(db: Db, orgId: string) {
  const [row] = await db
    .select({
      learners: sql<number>`(select count(*)::int from ${learners} where ${learners.orgId} = ${orgId} and ${learners.status} = 'active')`,
      classes: sql<number>`(select count(*)::int from ${classes} where ${classes.orgId} = ${orgId} and ${classes.status} = 'active')`,
      educators: sql<number>`(select count(*)::int from ${educators} where ${educators.orgId} = ${orgId} and ${educators.status} = 'active')`,
      schools: sql<number>`(select count(*)::int from ${schools} where ${schools.orgId} = ${orgId} and ${schools.status} = 'active')`,
    })
    .from(sql`(select 1) as one`);
  return row ?? { learners: 0, classes: 0, educators: 0, schools: 0 };
}

/** How many of the organization's learners have the status. */
export async function countLearners(db: Db, orgId: string, status: "active" | "inactive" | "removed" | "archived"): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(learners)
    .where(and(eq(learners.orgId, orgId), eq(learners.status, status)));
  return row?.value ?? 0;
}
