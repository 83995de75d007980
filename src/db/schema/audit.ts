import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations.ts";

/**
 * Who did what, when (ARCHITECTURE.md, safety rule 5). `actor` is "user", "operator", "scheduler"
 * or "system"; `detail` never holds secrets.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    orgId: uuid().references(() => organizations.id, { onDelete: "cascade" }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actor: text().notNull(),
    actorUserId: uuid(),
    runId: uuid(),
    action: text().notNull(),
    entity: text(),
    entityId: uuid(),
    detail: jsonb(),
  },
  (table) => [index("audit_log_org_at_idx").on(table.orgId, table.at)],
);
