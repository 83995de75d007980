import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations.ts";

export const OUTBOX_STATUSES = ["pending", "sent", "failed"] as const;

/**
 * Mail waits here until the dispatcher sends it (ARCHITECTURE.md, "Data flow": mail never goes out inside
 * a transaction). The idempotency key is sent to Resend, so a retry never sends twice.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().references(() => organizations.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    textBody: text().notNull(),
    htmlBody: text().notNull(),
    idempotencyKey: text().notNull(),
    status: text({ enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    providerMessageId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex("email_outbox_idempotency_unique").on(table.idempotencyKey),
    index("email_outbox_due_idx").on(table.status, table.nextAttemptAt),
    index("email_outbox_org_idx").on(table.orgId, table.createdAt),
  ],
);
