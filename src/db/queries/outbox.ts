/** The email outbox as the development outbox pages read it. */
import { desc, eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { emailOutbox } from "../schema/index.ts";
import { isUuid } from "./roster.ts";

const columns = {
  id: emailOutbox.id,
  kind: emailOutbox.kind,
  toAddress: emailOutbox.toAddress,
  subject: emailOutbox.subject,
  status: emailOutbox.status,
  createdAt: emailOutbox.createdAt,
};

/** The newest emails first. */
export function latestEmails(db: Db, limit = 200) {
  return db.select(columns).from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(limit);
}

export async function findEmail(db: Db, id: string) {
  if (!isUuid(id)) return undefined;
  const [email] = await db
    .select({ ...columns, textBody: emailOutbox.textBody, htmlBody: emailOutbox.htmlBody })
    .from(emailOutbox)
    .where(eq(emailOutbox.id, id));
  return email;
}
