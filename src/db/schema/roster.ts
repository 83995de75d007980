/**
 * The roster as the platform keeps it. Every row carries its organization. Rows are never
 * hard-deleted by a sync: removal sets status "removed" and a time, and a purge deletes them
 * after the retention period (ARCHITECTURE.md, safety rule 3).
 */
import { sql } from "drizzle-orm";
import { type AnyPgColumn, boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations, products } from "./organizations.ts";

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
const orgRef = () =>
  uuid()
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });

export const RECORD_STATUSES = ["active", "inactive", "removed", "archived"] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
const status = () => text({ enum: RECORD_STATUSES }).notNull().default("active");

/** Who last changed a row: the sync run (null for an admin's own edit). */
const lifecycle = () => ({
  status: status(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  statusChangedAt: timestamp({ withTimezone: true }),
  lastRunId: uuid(),
});

export const schools = pgTable(
  "schools",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: orgRef(),
    name: text().notNull(),
    schoolNumber: text(),
    stateId: text(),
    lowGrade: text(),
    highGrade: text(),
    ...lifecycle(),
  },
  (table) => [index("schools_org_idx").on(table.orgId)],
);

export const academicSessions = pgTable(
  "academic_sessions",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: orgRef(),
    schoolId: uuid().references(() => schools.id, { onDelete: "set null" }),
    title: text().notNull(),
    type: text().notNull(),
    startDate: date(),
    endDate: date(),
    /** The calendar year the school year ends in: 2026 for 2025/26. */
    schoolYear: integer(),
    parentId: uuid(),
    ...lifecycle(),
  },
  (table) => [index("academic_sessions_org_idx").on(table.orgId, table.schoolYear)],
);

/** The organization's year groups: a normalised code plus the source's own label. */
export const yearGroups = pgTable(
  "year_groups",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: orgRef(),
    code: text().notNull(),
    label: text().notNull(),
  },
  (table) => [uniqueIndex("year_groups_org_code_label").on(table.orgId, table.code, table.label)],
);

/**
 * What a name search reads, one expression for the trigram index and the query that uses it:
 * the name a learner goes by, both names, and the username, each word after a space (so a short
 * word can be matched at the start of a name, "% li%").
 */
export const learnerSearchText = (table: { preferredGivenName: AnyPgColumn; givenName: AnyPgColumn; familyName: AnyPgColumn; username: AnyPgColumn }) =>
  sql`(' ' || coalesce(${table.preferredGivenName}, ${table.givenName}) || ' ' || ${table.familyName} || ' ' || ${table.givenName} || ' ' || coalesce(${table.username}, ''))`;

/** The name a class shows, and what a class search reads (the shown name and the source's). */
export const classDisplayName = (table: { name: AnyPgColumn; nameOverride: AnyPgColumn }) => sql`coalesce(${table.nameOverride}, ${table.name})`;
export const classSearchText = (table: { name: AnyPgColumn; nameOverride: AnyPgColumn }) =>
  sql`(' ' || coalesce(${table.nameOverride}, ${table.name}) || ' ' || ${table.name})`;

export const CLASS_KINDS = ["registration_group", "subject_class"] as const;

export const classes = pgTable(
  "classes",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: orgRef(),
    schoolId: uuid().references(() => schools.id, { onDelete: "set null" }),
    academicSessionId: uuid().references(() => academicSessions.id, { onDelete: "set null" }),
    kind: text({ enum: CLASS_KINDS }).notNull(),
    /** The roster's name, as the source sends it. */
    name: text().notNull(),
    /** An admin's or educator's rename; shown instead of `name` when overrides are allowed. */
    nameOverride: text(),
    subject: text(),
    courseName: text(),
    period: text(),
    /** Normalised grade codes the class is for. */
    gradeCodes: text().array().notNull().default(sql`'{}'::text[]`),
    /** Digest of the sorted member source ids, so an unchanged class skips its enrolments. */
    membersDigest: text(),
    ...lifecycle(),
  },
  (table) => [
    index("classes_org_idx").on(table.orgId, table.status),
    index("classes_school_idx").on(table.schoolId),
    // The classes list's order and keyset (ARCHITECTURE.md, "Lists at scale").
    index("classes_org_status_name_idx").on(table.orgId, table.status, classDisplayName(table), table.id),
    index("classes_search_trgm_idx").using("gin", sql`${classSearchText(table)} gin_trgm_ops`),
  ],
);

/**
 * Access rule, as SQL over the learners row `alias`: a learner appears in products only while
 * active, in a class, with a year group, switched on in the source, and not taken off by an admin.
 */
export const accessRule = (alias: string, options: { ignoreRemoval?: boolean } = {}) =>
  `${alias}.status = 'active' and ${alias}.enabled_in_source${options.ignoreRemoval ? "" : ` and not ${alias}.access_removed`}` +
  ` and ${alias}.year_group_id is not null and exists (select 1 from enrolments e where e.learner_id = ${alias}.id)`;

export const learners = pgTable(
  "learners",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: orgRef(),
    schoolId: uuid().references(() => schools.id, { onDelete: "set null" }),
    givenName: text().notNull(),
    familyName: text().notNull(),
    middleName: text(),
    preferredGivenName: text(),
    preferredFamilyName: text(),
    dateOfBirth: date(),
    gender: text(),
    yearGroupId: uuid().references(() => yearGroups.id, { onDelete: "set null" }),
    email: text(),
    /** Set once the learner confirmed the address; a sync never removes a verified address. */
    emailVerifiedAt: timestamp({ withTimezone: true }),
    username: text(),
    upn: text(),
    formerUpns: text().array(),
    stateId: text(),
    studentNumber: text(),
    demographics: jsonb(),
    /** Starting level in the products, from year group and date of birth. */
    gradePlacement: text(),
    journeyProductId: text().references(() => products.id, { onDelete: "set null" }),
    /** False when the source has switched the account off (OneRoster enabledUser=false): kept, synced, without access. */
    enabledInSource: boolean().notNull().default(true),
    /** Access rule: a learner appears in products only with a class and a year group, and while the source has the account on. */
    hasAccess: boolean().notNull().default(false),
    /** An admin took this learner's access away: kept across syncs until an admin grants it again. */
    accessRemoved: boolean().notNull().default(false),
    ...lifecycle(),
  },
  (table) => [
    index("learners_org_status_idx").on(table.orgId, table.status),
    index("learners_org_upn_idx").on(table.orgId, table.upn),
    index("learners_org_state_id_idx").on(table.orgId, table.stateId),
    index("learners_org_student_number_idx").on(table.orgId, table.studentNumber),
    index("learners_org_dob_idx").on(table.orgId, table.dateOfBirth),
    // The learners list's order and keyset, its name search, and the identifiers it finds
    // by exact match whatever their case (ARCHITECTURE.md, "Lists at scale").
    index("learners_org_status_name_idx").on(table.orgId, table.status, table.familyName, table.givenName, table.id),
    index("learners_search_trgm_idx").using("gin", sql`${learnerSearchText(table)} gin_trgm_ops`),
    index("learners_org_upper_state_id_idx").on(table.orgId, sql`upper(${table.stateId})`),
    index("learners_org_upper_student_number_idx").on(table.orgId, sql`upper(${table.studentNumber})`),
    // "Grant access" counts the learners without access on every list page: few, and found without reading the rest.
    index("learners_org_no_access_idx").on(table.orgId).where(sql`not ${table.hasAccess}`),
  ],
);

export const educators = pgTable(
  "educators",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: orgRef(),
    schoolId: uuid().references(() => schools.id, { onDelete: "set null" }),
    givenName: text().notNull(),
    familyName: text().notNull(),
    title: text(),
    email: text(),
    username: text(),
    staffNumber: text(),
    stateId: text(),
    ...lifecycle(),
  },
  (table) => [index("educators_org_idx").on(table.orgId, table.status), index("educators_org_email_idx").on(table.orgId, table.email)],
);

/** A learner in a class. Removing an enrolment deletes the row; the run item keeps it for undo. */
export const enrolments = pgTable(
  "enrolments",
  {
    orgId: orgRef(),
    classId: uuid()
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    learnerId: uuid()
      .notNull()
      .references(() => learners.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastRunId: uuid(),
  },
  (table) => [
    primaryKey({ columns: [table.classId, table.learnerId] }),
    index("enrolments_learner_idx").on(table.learnerId),
    index("enrolments_org_idx").on(table.orgId),
  ],
);

/** An educator teaching a class. */
export const classEducators = pgTable(
  "class_educators",
  {
    orgId: orgRef(),
    classId: uuid()
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    educatorId: uuid()
      .notNull()
      .references(() => educators.id, { onDelete: "cascade" }),
    isPrimary: boolean().notNull().default(false),
    createdAt: createdAt(),
    lastRunId: uuid(),
  },
  (table) => [
    primaryKey({ columns: [table.classId, table.educatorId] }),
    index("class_educators_educator_idx").on(table.educatorId),
    index("class_educators_org_idx").on(table.orgId),
  ],
);

export const LINK_ENTITIES = ["school", "academicSession", "class", "learner", "educator"] as const;
export type LinkEntity = (typeof LINK_ENTITIES)[number];

/**
 * The tie between a roster row and a record in a source (ARCHITECTURE.md, "Vocabulary": link). The record hash
 * is a digest of the normalised source record last applied: equal hash means Unchanged, so a
 * no-change sync compares digests instead of rows.
 */
export const sourceLinks = pgTable(
  "source_links",
  {
    orgId: orgRef(),
    source: text().notNull(),
    entity: text({ enum: LINK_ENTITIES }).notNull(),
    sourceId: text().notNull(),
    entityId: uuid().notNull(),
    recordHash: text().notNull(),
    linkedAt: createdAt(),
    linkedByRunId: uuid(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.source, table.entity, table.sourceId] }), index("source_links_entity_idx").on(table.entityId)],
);

/** Learners and classes of closed academic years. Carryover looks here for returning children. */
export const archiveEntries = pgTable(
  "archive_entries",
  {
    orgId: orgRef(),
    entity: text({ enum: ["learner", "class"] }).notNull(),
    entityId: uuid().notNull(),
    schoolYear: integer().notNull(),
    /** What the record looked like when archived (year group, classes), for the review screen. */
    summary: jsonb().notNull(),
    archivedAt: createdAt(),
    runId: uuid(),
  },
  (table) => [primaryKey({ columns: [table.entity, table.entityId] }), index("archive_entries_org_idx").on(table.orgId, table.entity)],
);
