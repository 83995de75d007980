/**
 * Choosing many learners at once (the Bulk Journey Updater): by school, year group and class,
 * or by a list of Rollcall ids or usernames from a file. Only the organization's active
 * learners are ever chosen.
 */
import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client.ts";
import { classes, enrolments, learners, schools, yearGroups } from "../schema/index.ts";
import { classDisplayName } from "../schema/roster.ts";
import { isUuid } from "./roster.ts";

export interface RosterChoices {
  schools: { id: string; name: string }[];
  yearGroupCodes: string[];
  classes: { id: string; name: string }[];
  /** More classes than a picker shows: choose a school first. */
  tooManyClasses: boolean;
}

/**
 * What a filter can choose from: the organization's schools, year groups and classes now in
 * use. With `classCap`, a list page's class picker: the classes of the school chosen (or of all
 * schools) while there are at most that many, else none (`tooManyClasses`), so a district with
 * 250,000 classes does not send them all with every page.
 */
export async function rosterChoices(db: Db, orgId: string, options: { classCap?: number; schoolId?: string | undefined } = {}): Promise<RosterChoices> {
  const classConditions = [eq(classes.orgId, orgId), eq(classes.status, "active")];
  if (options.schoolId && isUuid(options.schoolId)) classConditions.push(eq(classes.schoolId, options.schoolId));
  const classQuery = db
    .select({ id: classes.id, name: classDisplayName(classes).mapWith(String) })
    .from(classes)
    .where(and(...classConditions))
    .orderBy(asc(classDisplayName(classes)));
  const [schoolRows, codeRows, classRows] = await Promise.all([
    db
      .select({ id: schools.id, name: schools.name })
      .from(schools)
      .where(and(eq(schools.orgId, orgId), eq(schools.status, "active")))
      .orderBy(asc(schools.name)),
    db.selectDistinct({ code: yearGroups.code }).from(yearGroups).where(eq(yearGroups.orgId, orgId)),
    options.classCap ? classQuery.limit(options.classCap + 1) : classQuery,
  ]);
  const tooManyClasses = options.classCap !== undefined && classRows.length > options.classCap;
  return { schools: schoolRows, yearGroupCodes: codeRows.map((row) => row.code), classes: tooManyClasses ? [] : classRows, tooManyClasses };
}

export interface LearnerFilter {
  schoolId?: string | undefined;
  yearGroupCode?: string | undefined;
  classId?: string | undefined;
}

export interface ChosenLearner {
  id: string;
  name: string;
  journeyProductId: string | null;
}

const chosenColumns = {
  id: learners.id,
  name: sql<string>`coalesce(${learners.preferredGivenName}, ${learners.givenName}) || ' ' || ${learners.familyName}`,
  journeyProductId: learners.journeyProductId,
};

/** Active learners who match every part of the filter that is set. */
export async function learnersMatching(db: Db, orgId: string, filter: LearnerFilter): Promise<ChosenLearner[]> {
  const conditions: SQL[] = [eq(learners.orgId, orgId), eq(learners.status, "active")];
  if (filter.schoolId && isUuid(filter.schoolId)) conditions.push(eq(learners.schoolId, filter.schoolId));
  if (filter.yearGroupCode)
    conditions.push(
      inArray(
        learners.yearGroupId,
        db
          .select({ id: yearGroups.id })
          .from(yearGroups)
          .where(and(eq(yearGroups.orgId, orgId), eq(yearGroups.code, filter.yearGroupCode))),
      ),
    );
  if (filter.classId && isUuid(filter.classId))
    conditions.push(
      inArray(
        learners.id,
        db
          .select({ id: enrolments.learnerId })
          .from(enrolments)
          .where(and(eq(enrolments.orgId, orgId), eq(enrolments.classId, filter.classId))),
      ),
    );
  return db
    .select(chosenColumns)
    .from(learners)
    .where(and(...conditions))
    .orderBy(asc(learners.familyName), asc(learners.givenName));
}

/** The active learners a list names by Rollcall id or username (case does not matter), and the entries that named nobody. */
export async function learnersNamed(db: Db, orgId: string, entries: readonly string[]): Promise<{ found: ChosenLearner[]; unknown: string[] }> {
  const ids = entries.filter(isUuid);
  const usernames = entries.map((entry) => entry.toLowerCase());
  if (!entries.length) return { found: [], unknown: [] };
  const rows = await db
    .select({ ...chosenColumns, username: learners.username })
    .from(learners)
    .where(
      and(
        eq(learners.orgId, orgId),
        eq(learners.status, "active"),
        or(ids.length ? inArray(learners.id, ids) : sql`false`, inArray(sql`lower(${learners.username})`, usernames)),
      ),
    )
    .orderBy(asc(learners.familyName), asc(learners.givenName));
  const named = new Set(rows.flatMap((row) => [row.id, row.username?.toLowerCase() ?? ""]));
  return {
    found: rows.map(({ username: _username, ...learner }) => learner),
    unknown: entries.filter((entry) => !named.has(entry) && !named.has(entry.toLowerCase())),
  };
}
