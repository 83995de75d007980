import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { SOURCES } from "../../roster/sources.ts";
import type { OutOfScope } from "../../run-record.ts";
import { staffUsers } from "./auth.ts";
import { organizations, products } from "./organizations.ts";

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
const orgRef = () =>
  uuid()
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });

/**
 * What reaches a source. `details` holds what is not secret (district ID, base URL, school
 * ID, stored file path); `secret` holds the encrypted JSON of what is (client secrets,
 * tokens), written only through src/lib/crypto.ts.
 */
export const connections = pgTable(
  "connections",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: orgRef(),
    source: text({ enum: SOURCES }).notNull(),
    details: jsonb().notNull().$type<Record<string, unknown>>(),
    secret: text(),
    /** The source's cursor for the next incremental read (Clever's newest event id). */
    cursor: text(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (table) => [uniqueIndex("connections_org_source_unique").on(table.orgId, table.source)],
);

export const SCHEDULE_FREQUENCIES = ["daily", "weekly", "monthly"] as const;
export const REMOVAL_MODES = ["deactivate", "remove"] as const;
export const MAY_MATCH_POLICIES = ["hold", "auto_accept"] as const;

export type SyncScope =
  | { kind: "grades"; grades: string[] }
  | {
      kind: "selection";
      registrationGroups: string[];
      subjectClasses: string[];
      learners: string[];
      /** "Sync pupil email addresses": the addresses the admin confirmed, by pupil, for verification emails after the sync. */
      confirmedEmails?: { sourceId: string; email: string }[] | undefined;
    };

/** The roster sync settings page (ARCHITECTURE.md, "Settings"). One row per organization. */
export const syncSettings = pgTable("sync_settings", {
  orgId: uuid()
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  activeSource: text({ enum: SOURCES }),
  scheduleEnabled: boolean().notNull().default(false),
  frequency: text({ enum: SCHEDULE_FREQUENCIES }).notNull().default("daily"),
  /** 0 = Sunday .. 6 = Saturday, for weekly schedules. */
  weekday: integer().notNull().default(1),
  /** 1..28, for monthly schedules. */
  monthDay: integer().notNull().default(1),
  /** HH:MM in the organization's time zone. */
  timeOfDay: text().notNull().default("02:00"),
  allowRemoval: boolean().notNull().default(false),
  removalMode: text({ enum: REMOVAL_MODES }).notNull().default("deactivate"),
  sendSyncEmails: boolean().notNull().default(true),
  autoCarryover: boolean().notNull().default(false),
  allowClassNameOverride: boolean().notNull().default(false),
  defaultJourneyProductId: text().references(() => products.id, { onDelete: "set null" }),
  scope: jsonb()
    .notNull()
    .$type<SyncScope>()
    .default(sql`'{"kind":"grades","grades":["InfantToddler","Preschool","PreKindergarten","TransitionalKindergarten","Kindergarten"]}'::jsonb`),
  holdThresholdPercent: integer().notNull().default(10),
  holdThresholdMinimum: integer().notNull().default(5),
  mayMatchPolicy: text({ enum: MAY_MATCH_POLICIES }).notNull().default("hold"),
  /** With policy auto_accept: May match pairs at or above this probability are accepted. */
  autoAcceptProbability: real().notNull().default(0.99),
  retentionDays: integer().notNull().default(180),
  /** Between full reads, scheduled syncs read only what changed; a full read comes at least this often. */
  fullReadEveryDays: integer().notNull().default(7),
  updatedAt: createdAt(),
  updatedBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
});

/**
 * Why a run read what it read (src/sync/policy/read-kind.ts): only the changes, or everything
 * because it is the first read, someone asked, a full read is due, the cursor is too old, the
 * last sync failed, or the source has no way to read only changes.
 */
export const READ_REASONS = ["changes", "first", "asked", "due", "cursor_old", "after_failure", "no_feed"] as const;
export type ReadReason = (typeof READ_REASONS)[number];

export const RUN_STATUSES = ["fetching", "planned", "held", "applying", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_TRIGGERS = ["scheduled", "sync_now", "wizard", "review", "cli", "undo"] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/**
 * One attempt at a sync. The partial unique index allows one unfinished run per organization
 * across every process; the slot index lets exactly one process claim a schedule slot.
 */
export const syncRuns = pgTable(
  "sync_runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: orgRef(),
    source: text({ enum: SOURCES }).notNull(),
    trigger: text({ enum: RUN_TRIGGERS }).notNull(),
    status: text({ enum: RUN_STATUSES }).notNull().default("fetching"),
    dryRun: boolean().notNull().default(false),
    /** The scheduled time this run was claimed for (scheduled runs only). */
    slot: timestamp({ withTimezone: true }),
    /** 1 for the first try; 2 for the one retry after a process died. */
    attempt: integer().notNull().default(1),
    retryOf: uuid(),
    /** The process working on it and how long its claim lasts; heartbeats extend it. */
    leaseOwner: text(),
    leaseExpiresAt: timestamp({ withTimezone: true }),
    /** Live progress: phase, records read, planned counts. */
    progress: jsonb().$type<Record<string, unknown>>(),
    /** Plan counts by entity and review status. */
    counts: jsonb().$type<Record<string, Record<string, number>>>(),
    problemCount: integer().notNull().default(0),
    /** What the scope left out of the plan, by why. */
    outOfScope: jsonb().$type<OutOfScope>(),
    holdReason: text(),
    /** In the admin's words, with what to do. */
    errorMessage: text(),
    /** For the operator log; no personal data. */
    errorDetail: text(),
    cursor: text(),
    /** What the run read: everything ("full") or only what changed since the cursor ("delta"), and why (READ_REASONS). */
    readMode: text({ enum: ["full", "delta"] }),
    readReason: text({ enum: READ_REASONS }),
    startedBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    approvedBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    approvedAt: timestamp({ withTimezone: true }),
    cancelledBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    undoneBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    undoneAt: timestamp({ withTimezone: true }),
    undoOf: uuid(),
    createdAt: createdAt(),
    plannedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index("sync_runs_org_created_idx").on(table.orgId, table.createdAt),
    uniqueIndex("sync_runs_one_active_per_org").on(table.orgId).where(sql`status in ('fetching', 'planned', 'applying') and not dry_run`),
    uniqueIndex("sync_runs_org_slot_attempt_unique").on(table.orgId, table.slot, table.attempt),
  ],
);

/**
 * What a run planned and did, one row per changed record: the review status, the action,
 * the field-level before/after, and for Matched and May match the match explanation.
 * Unchanged records get no row.
 */
export const syncRunItems = pgTable(
  "sync_run_items",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    // No foreign keys: a first sync of 1M learners writes 1.3M items, and checking each against
    // its run and organization took as long again as writing it (12.3 s against 5.9 s). Only a run
    // writes them, with its own ids; erasing an organization deletes them by org_id.
    runId: uuid().notNull(),
    orgId: uuid().notNull(),
    entity: text().notNull(),
    status: text().notNull(),
    action: text().notNull(),
    entityId: uuid(),
    sourceId: text(),
    /** A short label for lists (a name); the record itself is in before/after. */
    label: text(),
    before: jsonb(),
    after: jsonb(),
    explanation: jsonb(),
  },
  (table) => [
    index("sync_run_items_run_idx").on(table.runId, table.entity, table.status),
    // The run page's lists page by id within a run's entity (keyset), without reading other runs' items.
    index("sync_run_items_run_entity_id_idx").on(table.runId, table.entity, table.id),
    // The review pages a run's May match pairs by the incoming learner's name. Only those items
    // are in it, so the million New items of a first sync cost it nothing.
    index("sync_run_items_review_idx").on(table.runId, table.entity, sql`coalesce(${table.label}, '')`, table.id).where(sql`${table.status} = 'May match'`),
  ],
);

export const syncProblems = pgTable(
  "sync_problems",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    runId: uuid()
      .notNull()
      .references(() => syncRuns.id, { onDelete: "cascade" }),
    orgId: orgRef(),
    severity: text({ enum: ["error", "warning"] }).notNull(),
    file: text(),
    line: integer(),
    field: text(),
    entity: text(),
    sourceId: text(),
    message: text().notNull(),
  },
  (table) => [index("sync_problems_run_idx").on(table.runId)],
);

/**
 * An admin's answer to a May match pair. Kept across runs so a rejected pair is not asked
 * again every night, and a confirmed one is applied as Matched.
 */
export const matchDecisions = pgTable(
  "match_decisions",
  {
    orgId: orgRef(),
    source: text({ enum: SOURCES }).notNull(),
    sourceId: text().notNull(),
    learnerId: uuid().notNull(),
    decision: text({ enum: ["accepted", "rejected"] }).notNull(),
    decidedBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    decidedAt: createdAt(),
  },
  (table) => [uniqueIndex("match_decisions_pair_unique").on(table.orgId, table.source, table.sourceId, table.learnerId)],
);
