/**
 * Undo of a succeeded run (safety rule 3): puts back what the run changed, from the
 * before-images apply kept on the run's items, in one transaction.
 *
 * - rows it updated, linked, restored, deactivated or removed get their old row back, whole;
 * - rows it created are deleted (with their links and memberships);
 * - memberships it removed come back; memberships it added (marked with the run) go;
 * - links get their old state back.
 * Only the organization's latest applied run can be undone, within the retention period:
 * undoing an older one would silently undo the runs after it too.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { type BulkSql, bulkTransaction } from "../../db/bulk.ts";
import { syncRuns, syncSettings } from "../../db/schema/index.ts";
import { recomputeAccess } from "../apply/index.ts";
import type { SyncDeps } from "./lifecycle.ts";
import { recordAudit } from "../../db/queries/audit.ts";

export class UndoRefused extends Error {}

const ENTITY_TABLES = [
  // Rows that refer to others first, so deleting created rows never trips a foreign key.
  ["learner", "learners"],
  ["educator", "educators"],
  ["class", "classes"],
  ["academicSession", "academic_sessions"],
  ["school", "schools"],
] as const;

const MEMBERSHIP_TABLES = [
  ["enrolment", "enrolments", "learner_id"],
  ["classEducator", "class_educators", "educator_id"],
] as const;

export async function undoRun(
  deps: Pick<SyncDeps, "database" | "logger" | "now">,
  input: { orgId: string; runId: string; userId: string | null },
): Promise<void> {
  const db = deps.database.db;
  const now = deps.now?.() ?? new Date();
  const [run] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.id, input.runId), eq(syncRuns.orgId, input.orgId)));
  if (!run) throw new UndoRefused("That sync does not exist.");
  if (run.status !== "succeeded" || run.dryRun) throw new UndoRefused("Only a sync that changed the roster can be undone.");
  if (run.undoneAt) throw new UndoRefused("This sync was already undone.");
  const [latest] = await db
    .select({ id: syncRuns.id })
    .from(syncRuns)
    .where(and(eq(syncRuns.orgId, input.orgId), eq(syncRuns.status, "succeeded"), eq(syncRuns.dryRun, false), isNull(syncRuns.undoneAt)))
    .orderBy(desc(syncRuns.finishedAt))
    .limit(1);
  if (latest?.id !== run.id) throw new UndoRefused("Only the most recent sync can be undone; a later sync has changed the roster since.");
  const [settings] = await db.select({ retentionDays: syncSettings.retentionDays }).from(syncSettings).where(eq(syncSettings.orgId, input.orgId));
  const retentionMs = (settings?.retentionDays ?? 180) * 86_400_000;
  if (run.finishedAt && now.getTime() - run.finishedAt.getTime() > retentionMs)
    throw new UndoRefused("This sync is older than the retention period, so it can no longer be undone.");

  await bulkTransaction(deps.database, async (sql) => {
    const claimed = await sql.query(`update sync_runs set undone_at = $2::timestamptz, undone_by = $3 where id = $1 and undone_at is null returning id`, [
      run.id,
      now.toISOString(),
      input.userId,
    ]);
    if (!claimed.length) throw new UndoRefused("This sync was already undone.");
    const touchedLearners = await restoreMemberships(sql, run.id);
    for (const [entity, table] of ENTITY_TABLES) await restoreEntities(sql, run.id, run.orgId, run.source, entity, table);
    await recomputeAccess({ sql }, touchedLearners);
    await recordAudit(sql.db, {
      orgId: run.orgId,
      actor: input.userId ? "user" : "operator",
      actorUserId: input.userId,
      runId: run.id,
      action: "sync.undone",
      detail: {},
    });
  });
  deps.logger.info("sync.undone", { runId: run.id, orgId: run.orgId });
}

/** Memberships: delete the run's additions, put its removals back. Returns the learners involved. */
async function restoreMemberships(sql: BulkSql, runId: string): Promise<string[]> {
  const learners = new Set<string>();
  for (const [entity, table, personColumn] of MEMBERSHIP_TABLES) {
    const added = await sql.query<{ person: string }>(`delete from ${table} where last_run_id = $1 returning ${personColumn} as person`, [runId]);
    const restored = await sql.query<{ person: string }>(
      `insert into ${table} select (jsonb_populate_record(null::${table}, i.before -> 'row')).* from sync_run_items i
       where i.run_id = $1 and i.entity = $2 and i.action = 'remove' on conflict do nothing returning ${personColumn} as person`,
      [runId, entity],
    );
    if (entity === "enrolment") for (const row of [...added, ...restored]) learners.add(row.person);
  }
  return [...learners];
}

async function columnsOf(sql: BulkSql, table: string): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = $1 and column_name <> 'id' order by ordinal_position`,
    [table],
  );
  return rows.map((row) => row.name);
}

async function restoreEntities(sql: BulkSql, runId: string, orgId: string, source: string, entity: string, table: string): Promise<void> {
  const columns = await columnsOf(sql, table);
  // Rows that existed before the run: the whole row back, from its first before-image (a class
  // can have two items, its update and then its members, and only the first saw the old row).
  await sql.query(
    `update ${table} t set ${columns.map((column) => `${column} = r.${column}`).join(", ")}
     from (select distinct on (i.entity_id) (jsonb_populate_record(null::${table}, i.before -> 'row')).*
           from sync_run_items i where i.run_id = $1 and i.entity = $2 and i.before is not null order by i.entity_id, i.id) r
     where t.id = r.id`,
    [runId, entity],
  );
  // Their links as they were: put back the ones that existed, drop the ones the run made.
  await sql.query(
    `delete from source_links l using sync_run_items i
     where i.run_id = $1 and i.entity = $2 and i.before ? 'link' and l.org_id = $3 and l.source = $4 and l.entity = $2
       and (l.entity_id = i.entity_id or l.source_id = i.source_id)`,
    [runId, entity, orgId, source],
  );
  await sql.query(
    `insert into source_links select (jsonb_populate_record(null::source_links, i.before -> 'link')).* from sync_run_items i
     where i.run_id = $1 and i.entity = $2 and jsonb_typeof(i.before -> 'link') = 'object'
     on conflict (org_id, source, entity, source_id) do update set entity_id = excluded.entity_id, record_hash = excluded.record_hash,
       linked_at = excluded.linked_at, linked_by_run_id = excluded.linked_by_run_id`,
    [runId, entity],
  );
  // Rows the run created: gone, with their links (memberships go by cascade).
  await sql.query(
    `delete from source_links l using sync_run_items i where i.run_id = $1 and i.entity = $2 and i.action = 'create' and l.entity_id = i.entity_id`,
    [runId, entity],
  );
  await sql.query(`delete from ${table} t using sync_run_items i where i.run_id = $1 and i.entity = $2 and i.action = 'create' and t.id = i.entity_id`, [
    runId,
    entity,
  ]);
}
