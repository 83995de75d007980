/**
 * Read models for the roster pages. Every function takes the organization id from the
 * session and filters by it, so another organization's id simply finds nothing (404).
 */
import { and, asc, count, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client.ts";
import { SOURCES } from "../../roster/sources.ts";
import { classDisplayName, classSearchText, learnerSearchText } from "../schema/roster.ts";
import { classEducators, classes, educators, enrolments, learners, schools, sourceLinks, yearGroups } from "../schema/index.ts";
import { type CappedCount, capped, type KeyShape, type KeysetList, keysetPage, type Seek } from "./keyset.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

export const PAGE_SIZE = 50;
/** Lists count their matches up to this many, then say "more than" (ARCHITECTURE.md, "Lists at scale"). */
export const COUNT_CAP = 1000;

export interface LearnerFilter {
  search?: string | undefined;
  status?: "active" | "inactive" | "removed" | "archived" | undefined;
  schoolId?: string | undefined;
  yearGroupCode?: string | undefined;
  classId?: string | undefined;
  access?: "yes" | "no" | undefined;
  linked?: "yes" | "no" | undefined;
}

const escapeLike = (text: string) => text.replace(/[%_\\]/g, (match) => `\\${match}`);

/**
 * What a word of a search matches in a searchable text (which puts a space before each name):
 * anywhere for three letters or more, the start of a name for one or two. The trigram index
 * answers both: "% li%" still has trigrams ("  l", " li"), where "%li%" has none and would scan.
 */
export function wordPattern(word: string): string {
  return word.length >= 3 ? `%${escapeLike(word)}%` : `% ${escapeLike(word)}%`;
}

export const searchWords = (search: string) => search.replace(/,/g, " ").split(/\s+/).filter(Boolean);

/** The learners a source knows by this id, looked up first so the search below is a plain OR of indexed tests. */
async function learnersBySourceId(db: Db, orgId: string, search: string): Promise<string[]> {
  const rows = await db
    .select({ id: sourceLinks.entityId })
    .from(sourceLinks)
    // Every source named, so the primary key (org, source, entity, source id) answers it.
    .where(and(eq(sourceLinks.orgId, orgId), inArray(sourceLinks.source, [...SOURCES]), eq(sourceLinks.entity, "learner"), eq(sourceLinks.sourceId, search)));
  return rows.map((row) => row.id);
}

/**
 * What a search box finds a learner by: any of their names or both together in either order
 * ("Lily Chen", "Chen Lily", "Chen, Lily") or their username (the trigram index), a school
 * identifier (UPN, state ID, student number, whatever their case), their Rollcall id, or the id a
 * source knows them by (each an exact match on a btree index).
 */
function learnerSearch(search: string, sourceMatches: string[]): SQL {
  const text = learnerSearchText(learners);
  // Every word is found in the learner's names or username: order and which name do not matter.
  const allWords = and(...searchWords(search).map((word) => sql`${text} ilike ${wordPattern(word)}`))!;
  const exact = search.toUpperCase();
  const ids = [...sourceMatches, ...(isUuid(search) ? [search.toLowerCase()] : [])];
  return or(
    allWords,
    eq(learners.upn, exact),
    eq(sql`upper(${learners.stateId})`, exact),
    eq(sql`upper(${learners.studentNumber})`, exact),
    ...(ids.length ? [inArray(learners.id, ids)] : []),
  )!;
}

async function learnerConditions(db: Db, orgId: string, filter: LearnerFilter): Promise<SQL[]> {
  const conditions: SQL[] = [eq(learners.orgId, orgId), eq(learners.status, filter.status ?? "active")];
  if (filter.search) conditions.push(learnerSearch(filter.search, await learnersBySourceId(db, orgId, filter.search)));
  if (filter.schoolId && isUuid(filter.schoolId)) conditions.push(eq(learners.schoolId, filter.schoolId));
  if (filter.yearGroupCode)
    conditions.push(sql`${learners.yearGroupId} in (select id from ${yearGroups} where org_id = ${orgId} and code = ${filter.yearGroupCode})`);
  if (filter.classId && isUuid(filter.classId))
    conditions.push(sql`exists (select 1 from ${enrolments} e where e.learner_id = ${learners.id} and e.class_id = ${filter.classId})`);
  if (filter.access) conditions.push(eq(learners.hasAccess, filter.access === "yes"));
  if (filter.linked) {
    const linked = sql`exists (select 1 from ${sourceLinks} l where l.org_id = ${orgId} and l.entity_id = ${learners.id})`;
    conditions.push(filter.linked === "yes" ? linked : sql`not ${linked}`);
  }
  return conditions;
}

/** One page of a list of `table`'s rows that meet every condition, with their capped count; `list.fetch` is given the conditions and the page's seek together. */
async function listPage<Row>(db: Db, table: typeof learners | typeof classes, conditions: SQL[], seek: Seek, list: KeysetList<Row>) {
  const where = and(...conditions);
  const page = await keysetPage({ ...list, fetch: (seekCondition, order, limit) => list.fetch(and(where, seekCondition), order, limit) }, seek, PAGE_SIZE);
  // A list that fits on one page has counted itself; counting would find its rows again (for a name search, a second trigram scan).
  const total = page.hasPrevious || page.hasNext ? await countUpTo(db, table, where) : capped(page.rows.length, COUNT_CAP);
  return { ...page, total };
}

/** How many rows of `table` meet `where`, read up to the cap and no further. */
async function countUpTo(db: Db, table: typeof learners | typeof classes, where: SQL | undefined): Promise<CappedCount> {
  const [row] = await db.select({ value: count() }).from(
    db
      .select({ one: sql`1` })
      .from(table)
      .where(where)
      .limit(COUNT_CAP + 1)
      .as("up_to_cap"),
  );
  return capped(row?.value ?? 0, COUNT_CAP);
}

/** The learners list's order: family name, given name, then id to break ties (the index learners_org_status_name_idx). */
const LEARNER_KEY = [learners.familyName, learners.givenName, learners.id].map((column) => sql`${column}`);
export const LEARNER_KEY_SHAPE: KeyShape = { length: LEARNER_KEY.length, valid: (key) => isUuid(key[2] ?? "") };

export async function listLearners(db: Db, orgId: string, filter: LearnerFilter, seek: Seek) {
  const conditions = await learnerConditions(db, orgId, filter);
  return listPage<Awaited<ReturnType<typeof fetchLearners>>[number]>(db, learners, conditions, seek, {
    key: LEARNER_KEY,
    keyOf: (row) => [row.familyName, row.givenName, row.id],
    fetch: (where, order, limit) => fetchLearners(db, where, order, limit),
  });
}

function fetchLearners(db: Db, where: SQL | undefined, order: "asc" | "desc", limit: number) {
  const direction = order === "asc" ? asc : desc;
  return db
    .select({
      id: learners.id,
      givenName: learners.givenName,
      familyName: learners.familyName,
      preferredGivenName: learners.preferredGivenName,
      yearGroup: yearGroups.label,
      yearGroupCode: yearGroups.code,
      school: schools.name,
      status: learners.status,
      hasAccess: learners.hasAccess,
      // A probe per row shown: as `exists (...)` the planner may hash every link of every
      // organization first (it costs the subquery for the whole table, not for one page).
      linked: sql<boolean>`coalesce((select true from ${sourceLinks} where ${sourceLinks.entityId} = ${learners.id} limit 1), false)`,
    })
    .from(learners)
    .leftJoin(yearGroups, eq(yearGroups.id, learners.yearGroupId))
    .leftJoin(schools, eq(schools.id, learners.schoolId))
    .where(where)
    .orderBy(direction(learners.familyName), direction(learners.givenName), direction(learners.id))
    .limit(limit);
}

/** Whether the organization has any learner at all: an empty list then means "not synced yet", not "nothing matches". */
export async function hasAnyLearner(db: Db, orgId: string): Promise<boolean> {
  const [row] = await db.select({ id: learners.id }).from(learners).where(eq(learners.orgId, orgId)).limit(1);
  return Boolean(row);
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

export interface ClassFilter {
  search?: string | undefined;
  schoolId?: string | undefined;
  gradeCode?: string | undefined;
}

/** The classes list's order: the name a class shows, then id (the index classes_org_status_name_idx). */
const CLASS_KEY = [classDisplayName(classes), sql`${classes.id}`];
export const CLASS_KEY_SHAPE: KeyShape = { length: CLASS_KEY.length, valid: (key) => isUuid(key[1] ?? "") };

export async function listClasses(db: Db, orgId: string, filter: ClassFilter, seek: Seek) {
  const conditions: SQL[] = [eq(classes.orgId, orgId), eq(classes.status, "active")];
  if (filter.search) {
    const text = classSearchText(classes);
    conditions.push(...searchWords(filter.search).map((word) => sql`${text} ilike ${wordPattern(word)}`));
  }
  if (filter.schoolId && isUuid(filter.schoolId)) conditions.push(eq(classes.schoolId, filter.schoolId));
  if (filter.gradeCode) conditions.push(sql`${filter.gradeCode} = any(${classes.gradeCodes})`);
  return listPage<Awaited<ReturnType<typeof fetchClasses>>[number]>(db, classes, conditions, seek, {
    key: CLASS_KEY,
    keyOf: (row) => [row.nameOverride ?? row.name, row.id],
    fetch: (where, order, limit) => fetchClasses(db, where, order, limit),
  });
}

function fetchClasses(db: Db, where: SQL | undefined, order: "asc" | "desc", limit: number) {
  const direction = order === "asc" ? asc : desc;
  return db
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
    .orderBy(direction(classDisplayName(classes)), direction(classes.id))
    .limit(limit);
}

/** Whether the organization has any class yet. */
export async function hasAnyClass(db: Db, orgId: string): Promise<boolean> {
  const [row] = await db.select({ id: classes.id }).from(classes).where(eq(classes.orgId, orgId)).limit(1);
  return Boolean(row);
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
