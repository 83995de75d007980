/**
 * Loads the current roster into reconcile's plain shapes, reading only what a run needs:
 * links (source id -> row and fingerprint) always; whole learner rows only for learners whose
 * record changed, who left the scope, or who are candidates for matching; class members only
 * for classes whose members changed.
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client.ts";
import { collectIfGrown } from "../../lib/garbage-guard.ts";
import type { LinkEntity } from "../../db/schema/roster.ts";
import type { Source } from "../../roster/sources.ts";
import { LinkTable } from "./link-table.ts";
import {
  ACADEMIC_SESSION_FIELDS,
  CLASS_FIELDS,
  columnOf,
  EDUCATOR_FIELDS,
  type FieldSpec,
  LEARNER_FIELDS,
  SCHOOL_FIELDS,
  storedFields,
} from "../../roster/fields.ts";
import type {
  AcademicSessionFields,
  ClassFields,
  SchoolFields,
  CurrentAcademicSession,
  CurrentClass,
  CurrentEducator,
  CurrentLearner,
  CurrentSchool,
  EducatorFields,
  LearnerFields,
  LinkState,
} from "../reconcile/types.ts";

const TABLE_OF: Record<LinkEntity, string> = {
  school: "schools",
  academicSession: "academic_sessions",
  class: "classes",
  learner: "learners",
  educator: "educators",
};

type Row = Record<string, unknown>;

/** Dates arrive as strings from postgres.js and as Date objects from PGlite. */
function isoDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/**
 * A large result's rows one by one, each let go as it is handed out, with the garbage guard
 * every 16,384 rows: a district's 250,000 classes are otherwise held twice at the end of the
 * loop (the driver's rows and what they became), which was most of a re-sync's peak.
 */
function* releasing(rows: Row[]): Generator<Row> {
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    rows[index] = RELEASED;
    if ((index & 16_383) === 16_383) collectIfGrown();
    yield row;
  }
}
const RELEASED: Row = {};

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const uuids = (ids: readonly string[]) => sql`${sql.param([...ids])}::uuid[]`;

/** Links are read a page at a time (in source id order, along the primary key), so a million never sit in memory as rows. */
const LINK_PAGE = 20_000;

export async function loadLinks(db: Db, orgId: string, source: Source, entity: LinkEntity, pageSize = LINK_PAGE): Promise<LinkTable> {
  const links = new LinkTable();
  for (let after = ""; ; ) {
    const rows = await queryRows<Row>(
      db,
      sql`select l.source_id, l.entity_id, l.record_hash, x.status
          from source_links l join ${sql.raw(TABLE_OF[entity])} x on x.id = l.entity_id
          where l.org_id = ${orgId} and l.source = ${source} and l.entity = ${entity} and l.source_id > ${after}
          order by l.source_id limit ${pageSize}`,
    );
    for (const row of rows)
      links.set(String(row.source_id), { entityId: String(row.entity_id), fingerprint: String(row.record_hash), status: row.status as LinkState["status"] });
    if (rows.length < pageSize) return links;
    after = String(rows[rows.length - 1]!.source_id);
  }
}

/**
 * The links of just these source ids (a delta read's records and what they refer to), a page of
 * ids at a time: an incremental read of a million-learner district reads thousands of links, not
 * a million.
 */
export async function loadLinksOf(db: Db, orgId: string, source: Source, entity: LinkEntity, sourceIds: Iterable<string>): Promise<LinkTable> {
  const links = new LinkTable();
  const all = [...new Set(sourceIds)];
  for (let start = 0; start < all.length; start += LINK_PAGE) {
    const rows = await queryRows<Row>(
      db,
      sql`select l.source_id, l.entity_id, l.record_hash, x.status
          from source_links l join ${sql.raw(TABLE_OF[entity])} x on x.id = l.entity_id
          where l.org_id = ${orgId} and l.source = ${source} and l.entity = ${entity} and l.source_id = any(${sql.param(all.slice(start, start + LINK_PAGE))}::text[])`,
    );
    for (const row of rows)
      links.set(String(row.source_id), { entityId: String(row.entity_id), fingerprint: String(row.record_hash), status: row.status as LinkState["status"] });
  }
  return links;
}

/** How many of the organization's rows of a kind this source keeps in sync (a delta read's safety base, counted only when something leaves). */
export async function countSynced(db: Db, orgId: string, source: Source, entity: LinkEntity): Promise<number> {
  const [row] = await queryRows<Row>(
    db,
    sql`select count(*)::int as n from source_links l join ${sql.raw(TABLE_OF[entity])} x on x.id = l.entity_id and x.status = 'active'
        where l.org_id = ${orgId} and l.source = ${source} and l.entity = ${entity}`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Which rows loadEducators and loadClasses read: every row (a full read), or a delta's linked
 * rows by id, with the unlinked rows only when an incoming record may match one.
 */
export type RowChoice = { all: true } | { ids: readonly string[]; unlinked: boolean };

function chosenRows(choice: RowChoice, source: Source, entity: LinkEntity): SQL {
  if ("all" in choice) return sql`true`;
  const byId = sql`x.id = any(${uuids(choice.ids)})`;
  return choice.unlinked ? sql`(${byId} or ${notLinked("x", source, entity)})` : byId;
}

/** Source id of the row's school (or session) for this source, joined through its link. */
const linkedSourceId = (column: string, entity: LinkEntity, source: Source) =>
  sql`(select s.source_id from source_links s where s.entity_id = ${sql.raw(column)} and s.source = ${source} and s.entity = ${entity} limit 1)`;

/**
 * The field list's columns, named as toWrittenFields reads them: the school and the session by
 * their source ids for this source, the year group by code and label.
 */
function fieldColumns(fields: readonly FieldSpec[], source: Source): SQL {
  const columns = storedFields(fields).map((field) => {
    if (field.kind === "schools" || field.kind === "school") return sql`${linkedSourceId("x.school_id", "school", source)} as school_source_id`;
    if (field.kind === "sessions") return sql`${linkedSourceId("x.academic_session_id", "academicSession", source)} as academic_session_source_id`;
    if (field.kind === "yearGroup") return sql`yg.code as year_group_code, yg.label as year_group_label`;
    return sql.raw(`x.${columnOf(field)!.name}`);
  });
  return sql.join(columns, sql`, `);
}

/** A row read by fieldColumns, as reconcile's written fields. */
function toWrittenFields(fields: readonly FieldSpec[], row: Row): Record<string, unknown> {
  const written: Record<string, unknown> = {};
  for (const field of storedFields(fields)) {
    const value = row[columnOf(field)!.name];
    switch (field.kind) {
      case "schools":
      case "school":
        written.schoolSourceId = text(row.school_source_id);
        break;
      case "sessions":
        written.academicSessionSourceId = text(row.academic_session_source_id);
        break;
      case "yearGroup":
        written.yearGroupCode = text(row.year_group_code);
        written.yearGroupLabel = text(row.year_group_label);
        break;
      case "yearGroups":
        written.gradeCodes = value ?? [];
        break;
      case "enabled":
        written.enabledInSource = value !== false;
        break;
      case "required":
        written[field.name] = String(value);
        break;
      case "date":
        written[field.name] = isoDate(value);
        break;
      case "number":
        written[field.name] = value === null || value === undefined ? null : Number(value);
        break;
      case "list":
      case "demographics":
        written[field.name] = value ?? null;
        break;
      default:
        written[field.name] = text(value);
    }
  }
  return written;
}

function learnerQuery(orgId: string, source: Source, where: SQL): SQL {
  return sql`select x.id, x.status, x.school_id, ${fieldColumns(LEARNER_FIELDS, source)}, x.email_verified_at is not null as email_verified
    from learners x left join year_groups yg on yg.id = x.year_group_id
    where x.org_id = ${orgId} and ${where}`;
}

function toLearner(row: Row): CurrentLearner {
  return {
    id: String(row.id),
    status: row.status as CurrentLearner["status"],
    emailVerified: Boolean(row.email_verified),
    schoolId: text(row.school_id),
    ...(toWrittenFields(LEARNER_FIELDS, row) as unknown as LearnerFields),
  };
}

export async function loadLearnersById(db: Db, orgId: string, source: Source, ids: readonly string[]): Promise<Map<string, CurrentLearner>> {
  if (!ids.length) return new Map();
  const rows = await queryRows<Row>(db, learnerQuery(orgId, source, sql`x.id = any(${uuids(ids)})`));
  return new Map(rows.map((row) => [String(row.id), toLearner(row)]));
}

const notLinked = (alias: string, source: Source, entity: LinkEntity) =>
  sql`not exists (select 1 from source_links s where s.entity_id = ${sql.raw(alias)}.id and s.source = ${source} and s.entity = ${entity})`;

/** Active learners with no link to this source: the candidates for Matched and May match. */
export async function loadUnlinkedLearners(db: Db, orgId: string, source: Source): Promise<CurrentLearner[]> {
  const rows = await queryRows<Row>(db, learnerQuery(orgId, source, sql`x.status = 'active' and ${notLinked("x", source, "learner")}`));
  return rows.map(toLearner);
}

/** Archived learners (previous years), for carryover. */
export async function loadArchivedLearners(db: Db, orgId: string, source: Source): Promise<CurrentLearner[]> {
  const rows = await queryRows<Row>(db, learnerQuery(orgId, source, sql`x.status = 'archived'`));
  return rows.map(toLearner);
}

export async function loadEducators(
  db: Db,
  orgId: string,
  source: Source,
  choice: RowChoice = { all: true },
): Promise<{ byId: Map<string, CurrentEducator>; unlinked: CurrentEducator[] }> {
  const rows = await queryRows<Row>(
    db,
    sql`select x.id, x.status, x.school_id, ${fieldColumns(EDUCATOR_FIELDS, source)}, not ${notLinked("x", source, "educator")} as linked
        from educators x where x.org_id = ${orgId} and x.status <> 'removed' and ${chosenRows(choice, source, "educator")}`,
  );
  const byId = new Map<string, CurrentEducator>();
  const unlinked: CurrentEducator[] = [];
  for (const row of releasing(rows)) {
    const educator: CurrentEducator = {
      id: String(row.id),
      status: row.status as CurrentEducator["status"],
      schoolId: text(row.school_id),
      ...(toWrittenFields(EDUCATOR_FIELDS, row) as unknown as EducatorFields),
    };
    byId.set(educator.id, educator);
    if (!row.linked && educator.status === "active") unlinked.push(educator);
  }
  return { byId, unlinked };
}

export async function loadClasses(
  db: Db,
  orgId: string,
  source: Source,
  choice: RowChoice = { all: true },
): Promise<{ byId: Map<string, CurrentClass>; unlinked: CurrentClass[] }> {
  const rows = await queryRows<Row>(
    db,
    sql`select x.id, x.status, x.school_id, ${fieldColumns(CLASS_FIELDS, source)}, x.name_override, x.members_digest, not ${notLinked("x", source, "class")} as linked
        from classes x where x.org_id = ${orgId} and x.status <> 'removed' and ${chosenRows(choice, source, "class")}`,
  );
  const byId = new Map<string, CurrentClass>();
  const unlinked: CurrentClass[] = [];
  for (const row of releasing(rows)) {
    const klass: CurrentClass = {
      id: String(row.id),
      status: row.status as CurrentClass["status"],
      schoolId: text(row.school_id),
      ...(toWrittenFields(CLASS_FIELDS, row) as unknown as Omit<ClassFields, "nameOverride">),
      nameOverride: text(row.name_override),
      membersDigest: text(row.members_digest),
    };
    byId.set(klass.id, klass);
    if (!row.linked && klass.status === "active") unlinked.push(klass);
  }
  return { byId, unlinked };
}

export async function loadSchools(db: Db, orgId: string, source: Source): Promise<{ byId: Map<string, CurrentSchool>; unlinked: CurrentSchool[] }> {
  const rows = await queryRows<Row>(
    db,
    sql`select x.id, x.status, ${fieldColumns(SCHOOL_FIELDS, source)}, not ${notLinked("x", source, "school")} as linked from schools x where x.org_id = ${orgId}`,
  );
  const byId = new Map<string, CurrentSchool>();
  const unlinked: CurrentSchool[] = [];
  for (const row of rows) {
    const school: CurrentSchool = {
      id: String(row.id),
      status: row.status as CurrentSchool["status"],
      ...(toWrittenFields(SCHOOL_FIELDS, row) as unknown as SchoolFields),
    };
    byId.set(school.id, school);
    if (!row.linked) unlinked.push(school);
  }
  return { byId, unlinked };
}

export async function loadAcademicSessions(db: Db, orgId: string, source: Source): Promise<Map<string, CurrentAcademicSession>> {
  const rows = await queryRows<Row>(
    db,
    sql`select x.id, x.status, x.school_id, ${fieldColumns(ACADEMIC_SESSION_FIELDS, source)} from academic_sessions x where x.org_id = ${orgId}`,
  );
  return new Map(
    rows.map((row) => [
      String(row.id),
      {
        id: String(row.id),
        status: row.status as CurrentAcademicSession["status"],
        schoolId: text(row.school_id),
        ...(toWrittenFields(ACADEMIC_SESSION_FIELDS, row) as unknown as AcademicSessionFields),
      },
    ]),
  );
}

export async function loadClassMembers(db: Db, classIds: readonly string[]): Promise<Map<string, { learnerIds: Set<string>; educatorIds: Set<string> }>> {
  const members = new Map<string, { learnerIds: Set<string>; educatorIds: Set<string> }>();
  for (const id of classIds) members.set(id, { learnerIds: new Set(), educatorIds: new Set() });
  if (!classIds.length) return members;
  const [learnerRows, educatorRows] = await Promise.all([
    queryRows<Row>(db, sql`select class_id, learner_id from enrolments where class_id = any(${uuids(classIds)})`),
    queryRows<Row>(db, sql`select class_id, educator_id from class_educators where class_id = any(${uuids(classIds)})`),
  ]);
  for (const row of learnerRows) members.get(String(row.class_id))!.learnerIds.add(String(row.learner_id));
  for (const row of educatorRows) members.get(String(row.class_id))!.educatorIds.add(String(row.educator_id));
  return members;
}

/** Learners' and educators' places in the active classes linked to this source: the class places a sync keeps. */
export async function loadSyncedPlaces(db: Db, orgId: string, source: Source): Promise<number> {
  const syncedClass = (table: string) =>
    sql`(select count(*) from ${sql.raw(table)} m join classes c on c.id = m.class_id and c.status = 'active'
         where m.org_id = ${orgId} and exists (select 1 from source_links l where l.entity_id = m.class_id and l.org_id = ${orgId} and l.source = ${source} and l.entity = 'class'))`;
  const [row] = await queryRows<Row>(db, sql`select (${syncedClass("enrolments")} + ${syncedClass("class_educators")})::int as places`);
  return Number(row?.places ?? 0);
}
