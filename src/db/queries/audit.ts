/**
 * The one way an audit entry is written (ARCHITECTURE.md, safety rule 5). Inside a sync's bulk
 * transaction, pass its `db`, so the entry commits with the change it records.
 */
import type { Db } from "../client.ts";
import { auditLog } from "../schema/audit.ts";

export type AuditEntry = Omit<typeof auditLog.$inferInsert, "id" | "detail"> & { detail?: object | null | undefined };

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}
