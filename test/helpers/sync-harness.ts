/**
 * An organization on a real test database, and a district whose roster a test edits between
 * syncs. The district reaches the engine through the SourceReader seam, exactly as a connector
 * delivers records; everything after that (store, scope, reconcile, safety, apply) is the real
 * engine on a real database.
 */
import { createMatcher } from "../../src/sync/match/index.ts";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import { syncSettings, type SyncScope } from "../../src/db/schema/index.ts";
import { silentLogger } from "../../src/lib/log.ts";
import { createOrganization } from "../../src/orgs/organizations.ts";
import { ensureProducts } from "../../src/products.ts";
import {
  GRADE_CODES,
  ReadFailed,
  type SnapshotAcademicSession,
  type SnapshotClass,
  type SnapshotEducator,
  type SnapshotEnrolment,
  type SnapshotLearner,
  type SnapshotSchool,
  type Tombstone,
} from "../../src/roster/snapshot.ts";
import { saveConnection } from "../../src/connections/details.ts";
import type { LearnerMatcher } from "../../src/sync/match/types.ts";
import { type RunOutcome, type StartOptions, syncOrganization, type SyncDeps } from "../../src/sync/run/lifecycle.ts";
import { TEST_ORIGIN, testConfig } from "./app.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";

export interface District {
  schools: SnapshotSchool[];
  sessions: SnapshotAcademicSession[];
  classes: SnapshotClass[];
  learners: SnapshotLearner[];
  educators: SnapshotEducator[];
  enrolments: SnapshotEnrolment[];
  /** A delta read: only these records and tombstones. */
  delta?:
    | { learners?: SnapshotLearner[]; classes?: SnapshotClass[]; enrolments?: SnapshotEnrolment[]; tombstones: Tombstone[]; classPlaces?: "whole" | "changes" }
    | undefined;
  /** The next read fails after delivering this many learners. */
  failAfterLearners?: number | undefined;
}

const GIVEN = ["Ava", "Noah", "Mia", "Liam", "Zoe", "Ethan", "Isla", "Omar", "Priya", "Leo", "Sofia", "Kai"];
const FAMILY = ["Okafor", "Smith", "Nguyen", "Garcia", "Kowalski", "Patel", "Brown", "Haddad", "Jones", "Ito"];

/** `learners` learners in grades K..5 over two schools, one homeroom per grade and school, one teacher each. */
export function makeDistrict(learners: number): District {
  const grades = ["Kindergarten", "1", "2", "3", "4", "5"] as const;
  const schools: SnapshotSchool[] = [
    { sourceId: "sch-1", name: "Maple Elementary", schoolNumber: "101" },
    { sourceId: "sch-2", name: "Cedar Elementary", schoolNumber: "102" },
  ];
  const sessions: SnapshotAcademicSession[] = [
    { sourceId: "term-2026", title: "2025-2026", type: "schoolYear", startDate: "2025-08-20", endDate: "2026-06-10", schoolYear: 2026 },
  ];
  const classes: SnapshotClass[] = [];
  const educators: SnapshotEducator[] = [];
  const enrolments: SnapshotEnrolment[] = [];
  for (const school of schools) {
    for (const grade of grades) {
      const classId = `cls-${school.sourceId}-${grade}`;
      classes.push({
        sourceId: classId,
        schoolSourceId: school.sourceId,
        kind: "subject_class",
        name: `Homeroom ${grade}`,
        yearGroups: [{ code: grade, label: grade }],
        academicSessionSourceIds: ["term-2026"],
      });
      const teacherId = `tch-${school.sourceId}-${grade}`;
      educators.push({
        sourceId: teacherId,
        schoolSourceIds: [school.sourceId],
        givenName: "Teacher",
        familyName: `${grade}-${school.sourceId}`,
        email: `${teacherId}@district.test`,
      });
      enrolments.push({ classSourceId: classId, personSourceId: teacherId, role: "educator", primary: true });
    }
  }
  const list: SnapshotLearner[] = [];
  for (let index = 0; index < learners; index++) {
    const school = schools[index % 2]!;
    const grade = grades[Math.floor(index / 2) % grades.length]!;
    const birthYear = 2020 - (GRADE_CODES.indexOf(grade) - GRADE_CODES.indexOf("Kindergarten"));
    const learner: SnapshotLearner = {
      sourceId: `stu-${index}`,
      schoolSourceIds: [school.sourceId],
      givenName: GIVEN[index % GIVEN.length]!,
      familyName: `${FAMILY[(index * 7) % FAMILY.length]!}${index}`,
      dateOfBirth: `${birthYear}-${String((index % 12) + 1).padStart(2, "0")}-${String((index % 27) + 1).padStart(2, "0")}`,
      gender: index % 2 ? "female" : "male",
      yearGroup: { code: grade, label: grade },
      studentNumber: `SN${100000 + index}`,
      email: `stu${index}@district.test`,
    };
    list.push(learner);
    enrolments.push({ classSourceId: `cls-${school.sourceId}-${grade}`, personSourceId: learner.sourceId, role: "learner" });
  }
  return { schools, sessions, classes, learners: list, educators, enrolments };
}

/** Feeds the district to the sink the way a connector does. */
export function readerFor(district: District): SyncDeps["readSource"] {
  return async (_connection, sink) => {
    for (const school of district.schools) sink.school(school);
    for (const session of district.sessions) sink.academicSession(session);
    if (district.delta) {
      for (const klass of district.delta.classes ?? []) sink.class(klass);
      for (const learner of district.delta.learners ?? []) sink.learner(learner);
      for (const enrolment of district.delta.enrolments ?? []) sink.enrolment(enrolment);
      for (const tombstone of district.delta.tombstones) sink.tombstone(tombstone);
      return { source: "oneroster", mode: "delta", classPlaces: district.delta.classPlaces };
    }
    for (const klass of district.classes) sink.class(klass);
    for (const educator of district.educators) sink.educator(educator);
    let delivered = 0;
    for (const learner of district.learners) {
      if (district.failAfterLearners !== undefined && delivered === district.failAfterLearners) {
        throw new ReadFailed("The roster file could not be read to the end, so nothing was changed.", "test: read cut short");
      }
      sink.learner(learner);
      delivered++;
    }
    for (const enrolment of district.enrolments) sink.enrolment(enrolment);
    return { source: "oneroster", mode: "full" };
  };
}

/** The real matcher, as the app runs it. */
export const realMatcher: LearnerMatcher = createMatcher();

export interface SyncHarness {
  database: TestDatabase;
  orgId: string;
  district: District;
  deps: SyncDeps;
  sync(options?: Partial<StartOptions>): Promise<RunOutcome>;
  settings(patch: Partial<typeof syncSettings.$inferInsert>): Promise<void>;
  count(table: string, where?: string): Promise<number>;
  close(): Promise<void>;
}

export const ALL_GRADES: SyncScope = { kind: "grades", grades: [...GRADE_CODES] };

export async function createSyncHarness(options: { learners?: number; matcher?: LearnerMatcher; database?: TestDatabase } = {}): Promise<SyncHarness> {
  const database = options.database ?? (await createTestDatabase());
  await ensureProducts(database.db);
  const config = testConfig();
  const org = await createOrganization(database.db, { name: "Harness District", adminEmail: "admin@district.test", licences: ["reading"] }, TEST_ORIGIN);
  await saveConnection(database.db, {
    orgId: org.id,
    details: { source: "oneroster", kind: "file", path: "/nonexistent/roster.zip" },
    secret: null,
    encryptionKey: config.encryptionKey,
  });
  const district = makeDistrict(options.learners ?? 40);
  const deps: SyncDeps = { database, config, logger: silentLogger, readSource: readerFor(district), matcher: options.matcher ?? realMatcher };
  const harness: SyncHarness = {
    database,
    orgId: org.id,
    district,
    deps,
    sync: (start = {}) => syncOrganization(deps, { orgId: org.id, trigger: "cli", ...start }),
    async settings(patch) {
      if (!Object.keys(patch).length) return;
      await database.db.update(syncSettings).set(patch).where(eq(syncSettings.orgId, org.id));
    },
    async count(table, where = "true") {
      const [row] = await queryRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table} where ${where}`));
      return Number(row!.n);
    },
    close: () => database.close(),
  };
  await harness.settings({ scope: ALL_GRADES });
  return harness;
}

/** Every roster row of the organization, in a stable order, for before/after comparisons. */
export async function rosterSnapshot(database: TestDatabase, orgId: string): Promise<Record<string, unknown[]>> {
  const tables: Record<string, string> = {
    schools: "id",
    academic_sessions: "id",
    classes: "id",
    learners: "id",
    educators: "id",
    enrolments: "class_id, learner_id",
    class_educators: "class_id, educator_id",
    source_links: "entity, source_id",
  };
  const result: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(tables)) {
    const rows = await queryRows<{ row: unknown }>(
      database.db,
      sql.raw(`select to_jsonb(t) as row from ${table} t where org_id = '${orgId}' order by ${order}`),
    );
    result[table] = rows.map((row) => row.row);
  }
  return result;
}

/**
 * Two versions of one district, for tests that need a big plan in a child process: version 2
 * triples the learners, renames every tenth of the original ones and drops one in twenty.
 */
export function districtVersion(base: number, version: 1 | 2): District {
  if (version === 1) return makeDistrict(base);
  const district = makeDistrict(base * 3);
  const leaving = new Set<string>();
  district.learners.slice(0, base).forEach((learner, index) => {
    if (index % 10 === 0) learner.familyName = `${learner.familyName}-Renamed`;
    if (index % 20 === 7) leaving.add(learner.sourceId);
  });
  removeLearners(district, leaving);
  return district;
}

/**
 * The roster as an admin sees it, without ids or timestamps: two databases that went through
 * the same syncs compare equal.
 */
export async function visibleRoster(database: TestDatabase, orgId: string): Promise<Record<string, unknown[]>> {
  const queries: Record<string, string> = {
    learners: `select l.source_id, x.given_name, x.family_name, x.date_of_birth::text, x.status, x.has_access, y.code as year_group
               from learners x left join source_links l on l.entity_id = x.id left join year_groups y on y.id = x.year_group_id
               where x.org_id = $1 order by l.source_id, x.given_name, x.family_name`,
    classes: `select l.source_id, c.name, c.status, c.members_digest from classes c left join source_links l on l.entity_id = c.id where c.org_id = $1 order by l.source_id`,
    educators: `select l.source_id, e.family_name, e.status from educators e left join source_links l on l.entity_id = e.id where e.org_id = $1 order by l.source_id`,
    enrolments: `select cl.source_id as class, ll.source_id as learner from enrolments e
                 join source_links cl on cl.entity_id = e.class_id join source_links ll on ll.entity_id = e.learner_id
                 where e.org_id = $1 order by 1, 2`,
  };
  const result: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(queries)) {
    result[name] = await queryRows(database.db, sql.raw(query.replaceAll("$1", `'${orgId}'`)));
  }
  return result;
}

/** These learners leave the district, with their places in classes. */
export function removeLearners(district: District, leaving: ReadonlySet<string>): void {
  district.learners = district.learners.filter((learner) => !leaving.has(learner.sourceId));
  district.enrolments = district.enrolments.filter((enrolment) => !leaving.has(enrolment.personSourceId));
}

/** The first `count` learners leave. */
export function firstLearnersLeave(district: District, count: number): void {
  removeLearners(district, new Set(district.learners.slice(0, count).map((learner) => learner.sourceId)));
}
