/**
 * The one way an audit entry is written (ARCHITECTURE.md, safety rule 5). Inside a sync's bulk
 * transaction, pass its `db`, so the entry commits with the change it records.
 */
import type { Db } from "../client.ts";
import { auditLog } from "../schema/audit.ts";

export type AuditEntry = Omit<typeof auditLog.$inferInsert, "id" | "detail"> & { detail?: object | null | undefined };

/** Writes the entry and returns its id, by which a later entry can refer to it (an undo names what it undoes). */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<number> {
  const [written] = await db.insert(auditLog).values(entry).returning({ id: auditLog.id });
  return written!.id;
}
