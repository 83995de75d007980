/**
 * The dispatcher sends what the outbox holds through Resend, in every process that has an
 * API key. Rows are claimed with SKIP LOCKED and a short lease (next_attempt_at moves on), so
 * two processes never send one row at once, and a process that dies mid-send leaves the row
 * to be retried. Every attempt carries the row's idempotency key, so a retry after a lost
 * answer is not a second email. Failures back off exponentially; a per-organization daily
 * cap holds the rest until the next day (UTC). Logs carry ids and kinds, never addresses.
 */
import { sql } from "drizzle-orm";
import { Resend } from "resend";
import type { Config } from "../config.ts";
import { type Database, queryRows } from "../db/client.ts";
import { errorFields, type Logger } from "../lib/log.ts";

export interface DispatcherOptions {
  database: Database;
  config: Pick<Config, "resendApiKey" | "resendBaseUrl" | "mailFrom" | "mailDailyCap">;
  logger: Logger;
  now?: () => Date;
  /** After this many failed attempts a row is marked failed (and the operator log says so). */
  maxAttempts?: number;
  /** The first retry waits this long; each further one twice as long, up to an hour. */
  baseDelayMs?: number;
}

export interface DispatchSummary {
  sent: number;
  retrying: number;
  failed: number;
  deferred: number;
}

interface OutboxRow {
  id: string;
  org_id: string | null;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  idempotency_key: string;
  attempts: number;
}

const CLAIM_LEASE_MS = 5 * 60_000;
const BATCH = 20;
const MAX_DELAY_MS = 60 * 60_000;

export class Dispatcher {
  private readonly resend: Resend;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DispatcherOptions) {
    if (!options.config.resendApiKey) throw new Error("The mail dispatcher needs RESEND_API_KEY");
    this.resend = new Resend(options.config.resendApiKey, options.config.resendBaseUrl ? { baseUrl: options.config.resendBaseUrl } : undefined);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Sends everything due now, one row at a time (Resend allows a few requests a second). */
  async dispatchDue(): Promise<DispatchSummary> {
    const summary: DispatchSummary = { sent: 0, retrying: 0, failed: 0, deferred: 0 };
    for (;;) {
      const rows = await this.claim();
      if (!rows.length) return summary;
      for (const row of rows) summary[await this.deliver(row)]++;
    }
  }

  private async claim(): Promise<OutboxRow[]> {
    const now = this.now();
    const rows = await queryRows<OutboxRow & { created_at: string }>(
      this.options.database.db,
      sql`update email_outbox set next_attempt_at = ${new Date(now.getTime() + CLAIM_LEASE_MS).toISOString()}::timestamptz
          where id in (select id from email_outbox where status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
                       order by created_at limit ${BATCH} for update skip locked)
          returning id, org_id, kind, to_address, subject, text_body, html_body, idempotency_key, attempts, created_at`,
    );
    // UPDATE ... RETURNING does not keep the subquery's order: oldest first again.
    return rows.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime());
  }

  private async deliver(row: OutboxRow): Promise<keyof DispatchSummary> {
    const db = this.options.database.db;
    const now = this.now();
    if (row.org_id && (await this.sentToday(row.org_id, now)) >= this.options.config.mailDailyCap) {
      const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
      await db.execute(
        sql`update email_outbox set next_attempt_at = ${tomorrow.toISOString()}::timestamptz, last_error = 'daily sending cap reached' where id = ${row.id}`,
      );
      this.options.logger.warn("mail.daily_cap_reached", { outboxId: row.id, orgId: row.org_id, kind: row.kind });
      return "deferred";
    }
    const { data, error, headers } = await this.resend.emails.send(
      { from: this.options.config.mailFrom, to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body },
      { idempotencyKey: row.idempotency_key },
    );
    if (data) {
      await db.execute(
        sql`update email_outbox set status = 'sent', sent_at = ${now.toISOString()}::timestamptz, provider_message_id = ${data.id}, attempts = attempts + 1, last_error = null where id = ${row.id}`,
      );
      this.options.logger.info("mail.sent", { outboxId: row.id, kind: row.kind });
      return "sent";
    }
    const attempts = row.attempts + 1;
    const message = `${error?.name ?? "unknown"} (${error?.statusCode ?? "no answer"}): ${error?.message ?? ""}`.slice(0, 500);
    // Resend's message can quote the recipient's address: it stays on the outbox row, not in the log.
    const resendError = { error: error?.name ?? "unknown", status: error?.statusCode ?? null };
    // A request Resend calls invalid will never succeed; everything else is worth another try.
    const permanent = error?.statusCode === 400 || error?.statusCode === 422;
    if (permanent || attempts >= (this.options.maxAttempts ?? 8)) {
      await db.execute(sql`update email_outbox set status = 'failed', attempts = ${attempts}, last_error = ${message} where id = ${row.id}`);
      this.options.logger.error("mail.failed", { outboxId: row.id, kind: row.kind, attempts, ...resendError });
      return "failed";
    }
    const retryAfter = Number(headers?.["retry-after"]);
    const backoff = Math.min(MAX_DELAY_MS, (this.options.baseDelayMs ?? 30_000) * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
    const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff;
    await db.execute(
      sql`update email_outbox set attempts = ${attempts}, last_error = ${message}, next_attempt_at = ${new Date(now.getTime() + delay).toISOString()}::timestamptz where id = ${row.id}`,
    );
    this.options.logger.warn("mail.retrying", { outboxId: row.id, kind: row.kind, attempts, ...resendError });
    return "retrying";
  }

  private async sentToday(orgId: string, now: Date): Promise<number> {
    const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const [row] = await queryRows<{ sent: number }>(
      this.options.database.db,
      sql`select count(*)::int as sent from email_outbox where org_id = ${orgId} and status = 'sent' and sent_at >= ${midnight.toISOString()}::timestamptz`,
    );
    return row?.sent ?? 0;
  }

  /** Checks the outbox every `intervalMs` (one pass at a time). */
  start(intervalMs = 10_000): void {
    const tick = () => {
      this.running = this.running
        .then(() => this.dispatchDue())
        .catch((error: unknown) => this.options.logger.error("mail.dispatch_crashed", errorFields(error)));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
  }

  /** Stops checking and waits for the pass under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
