/**
 * The purge (ARCHITECTURE.md, safety rule 3): a learner a sync removed stays recoverable for the
 * organization's retention period (sync settings, 180 days unless changed), then is deleted
 * with everything that refers to them (learner-data.ts). The scheduler runs it once a day;
 * `now` is a parameter so tests can set the clock.
 */
import { type BulkSql, bulkTransaction } from "../db/bulk.ts";
import type { Database } from "../db/client.ts";
import type { Logger } from "../lib/log.ts";
import { type DeletedLearnerData, deleteLearnerData, syncUnderWay } from "./learner-data.ts";
import { recordAudit } from "../db/queries/audit.ts";

/** The retention period of an organization that never saved its sync settings (the column's default). */
export const DEFAULT_RETENTION_DAYS = 180;

export type OrganizationPurge = { orgId: string; retentionDays: number } & ({ skipped: "sync under way" } | { purged: DeletedLearnerData });

/** When a removed learner became removed; rows from before status_changed_at existed use their last update. */
const REMOVED_BEFORE = `status = 'removed' and coalesce(status_changed_at, updated_at) < $2::timestamptz - make_interval(days => $3::int)`;

async function retentionDaysOf(sql: BulkSql, orgId: string): Promise<number> {
  const [row] = await sql.query<{ days: number }>(`select retention_days as days from sync_settings where org_id = $1`, [orgId]);
  return row?.days ?? DEFAULT_RETENTION_DAYS;
}

/** Purges one organization's removed learners that are past its retention period. */
export async function purgeRemovedLearners(database: Database, input: { orgId: string; now: Date }): Promise<OrganizationPurge> {
  return bulkTransaction(database, async (sql) => {
    const retentionDays = await retentionDaysOf(sql, input.orgId);
    // A running sync planned against these rows; the next day's purge finds them again.
    if (await syncUnderWay(sql, input.orgId)) return { orgId: input.orgId, retentionDays, skipped: "sync under way" as const };
    const due = await sql.query<{ id: string }>(`select id from learners where org_id = $1 and ${REMOVED_BEFORE}`, [
      input.orgId,
      input.now.toISOString(),
      retentionDays,
    ]);
    const purged = await deleteLearnerData(
      sql,
      input.orgId,
      due.map((row) => row.id),
    );
    if (purged.learners) {
      await recordAudit(sql.db, {
        orgId: input.orgId,
        at: input.now,
        actor: "scheduler",
        action: "learners.purged",
        entity: "learner",
        detail: { retentionDays, ...purged },
      });
    }
    return { orgId: input.orgId, retentionDays, purged };
  });
}

/** Purges every organization that has removed learners past its retention period. */
export async function purgeAllOrganizations(deps: { database: Database; logger: Logger }, now: Date): Promise<OrganizationPurge[]> {
  const due = await bulkTransaction(deps.database, (sql) =>
    sql.query<{ org_id: string }>(
      `select distinct l.org_id from learners l left join sync_settings s on s.org_id = l.org_id
       where l.status = 'removed' and coalesce(l.status_changed_at, l.updated_at) < $1::timestamptz - make_interval(days => coalesce(s.retention_days, $2::int))`,
      [now.toISOString(), DEFAULT_RETENTION_DAYS],
    ),
  );
  const results: OrganizationPurge[] = [];
  const failed: string[] = [];
  for (const { org_id: orgId } of due) {
    // One organization's failure does not keep the others' learners past their time.
    try {
      const result = await purgeRemovedLearners(deps.database, { orgId, now });
      if ("skipped" in result) deps.logger.info("purge.skipped", { orgId, reason: result.skipped });
      else
        deps.logger.info("purge.done", {
          orgId,
          learners: result.purged.learners,
          enrolments: result.purged.enrolments,
          runItems: result.purged.runItemsCleared,
        });
      results.push(result);
    } catch (error) {
      deps.logger.error("purge.failed", { orgId, error: (error as Error).message });
      failed.push(orgId);
    }
  }
  // Failing the day's job lets it be tried again within the hour.
  if (failed.length) throw new Error(`the purge failed for ${failed.length} organization(s): ${failed.join(", ")}`);
  return results;
}
