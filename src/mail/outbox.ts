/**
 * The outbox: every email is first a row here, written in the same transaction as the change
 * it reports, and sent later by the dispatcher. A rolled-back change leaves no email behind.
 */
import type { Db } from "../db/client.ts";
import { emailOutbox } from "../db/schema/index.ts";

export interface OutgoingEmail {
  orgId: string | null;
  /** What the email is about: "invite", "run-succeeded", "run-held", "run-failed", ... */
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable for one logical email ("invite/<invite id>"), so it is queued and sent once. */
  idempotencyKey: string;
}

/**
 * Queues an email; queuing the same idempotency key twice keeps the first. Inside a sync's bulk
 * transaction, pass its `db`, so a run's email commits with the run.
 */
export async function enqueueEmail(db: Db, email: OutgoingEmail): Promise<void> {
  await db
    .insert(emailOutbox)
    .values({
      orgId: email.orgId,
      kind: email.kind,
      toAddress: email.to,
      subject: email.subject,
      textBody: email.text,
      htmlBody: email.html,
      idempotencyKey: email.idempotencyKey,
    })
    .onConflictDoNothing({ target: emailOutbox.idempotencyKey });
}
