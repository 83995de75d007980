/**
 * The one way an audit entry is written (ARCHITECTURE.md, safety rule 5): through Drizzle, or
 * inside a sync's bulk transaction so the entry commits with the change it records.
 * `detail` is passed to Postgres as text and cast there: a JSON string sent as a json
 * parameter would be stored as one string rather than as the object it holds.
 */
import type { Db } from "../client.ts";
import type { BulkSql } from "../bulk.ts";
import { auditLog } from "../schema/audit.ts";

export type AuditEntry = Omit<typeof auditLog.$inferInsert, "id" | "detail"> & { detail?: object | null | undefined };

const COLUMNS = ["org_id", "at", "actor", "actor_user_id", "run_id", "action", "entity", "entity_id", "detail"] as const;

export async function recordAudit(target: Db | BulkSql, entry: AuditEntry): Promise<void> {
  if (!("copyIn" in target)) {
    await target.insert(auditLog).values(entry);
    return;
  }
  await target.query(`insert into audit_log (${COLUMNS.join(", ")}) values ($1, coalesce($2::timestamptz, now()), $3, $4, $5, $6, $7, $8, $9::text::jsonb)`, [
    entry.orgId ?? null,
    entry.at?.toISOString() ?? null,
    entry.actor,
    entry.actorUserId ?? null,
    entry.runId ?? null,
    entry.action,
    entry.entity ?? null,
    entry.entityId ?? null,
    entry.detail ? JSON.stringify(entry.detail) : null,
  ]);
}
