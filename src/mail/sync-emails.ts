/**
 * The sync engine's notifier: emails about a run's outcome for the organization's admins,
 * only when the organization's "send emails about sync events" setting is on. Failures
 * always reach the operator log (src/sync/run/lifecycle.ts logs them), whatever the setting.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { organizations, staffUsers, syncSettings } from "../db/schema/index.ts";
import type { PlanCounts } from "../run-record.ts";
import type { FailureCause } from "../roster/snapshot.ts";
import { nextSlot } from "../schedule/slots.ts";
import { runFailedEmail, runHeldEmail, runSucceededEmail } from "../../views/emails/run.tsx";
import { enqueueEmail, type OutgoingEmail } from "./outbox.ts";

/** Emails about runs: sync prepares them outside its apply transaction and queues them inside it (or after a failure). */
export interface SyncNotifier {
  /** The emails a run's outcome sends (none when the organization turned sync emails off). */
  prepare(event: RunEvent): Promise<OutgoingEmail[]>;
  /** Prepares and queues at once, for outcomes that write nothing else (held, failed). */
  queueNow(event: RunEvent): Promise<void>;
}

export interface RunEvent {
  orgId: string;
  runId: string;
  event: "succeeded" | "held" | "failed";
  counts?: PlanCounts | undefined;
  reasons?: string[] | undefined;
  errorMessage?: string | undefined;
  /** For a failure: whose move it waits for, which decides what the email asks of the admin. */
  failure?: FailureCause | undefined;
}

export function createSyncNotifier(options: { db: Db; appUrl: () => string; supportEmail?: string | undefined }): SyncNotifier {
  const { db } = options;

  async function prepare(event: RunEvent): Promise<OutgoingEmail[]> {
    const [settings] = await db.select({ send: syncSettings.sendSyncEmails }).from(syncSettings).where(eq(syncSettings.orgId, event.orgId));
    if (settings && !settings.send) return [];
    const [organization] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, event.orgId));
    if (!organization) return [];
    const admins = await db
      .select({ id: staffUsers.id, email: staffUsers.email })
      .from(staffUsers)
      .where(and(eq(staffUsers.orgId, event.orgId), eq(staffUsers.role, "org_admin"), isNull(staffUsers.disabledAt)));
    const props = {
      orgName: organization.name,
      runUrl: `${options.appUrl()}${event.event === "failed" ? "/sync" : `/sync/runs/${event.runId}`}`,
      settingsUrl: `${options.appUrl()}/settings/connection`,
      supportEmail: options.supportEmail,
    };
    const rendered =
      event.event === "succeeded"
        ? runSucceededEmail({ ...props, counts: event.counts })
        : event.event === "held"
          ? runHeldEmail({ ...props, counts: event.counts, reasons: event.reasons })
          : runFailedEmail({ ...props, errorMessage: event.errorMessage, failure: event.failure, nextTry: await nextTry(event.orgId) });
    return admins.map((admin) => ({
      orgId: event.orgId,
      kind: `run-${event.event}`,
      to: admin.email,
      ...rendered,
      // One email per run, outcome and admin, however often it is queued or retried.
      idempotencyKey: `run-${event.event}/${event.runId}/${admin.id}`,
    }));
  }

  /** When the schedule tries again, in the organization's time and words; null without a schedule. */
  async function nextTry(orgId: string): Promise<string | null> {
    const [row] = await db
      .select({ settings: syncSettings, timeZone: organizations.timeZone })
      .from(syncSettings)
      .innerJoin(organizations, eq(organizations.id, syncSettings.orgId))
      .where(eq(syncSettings.orgId, orgId));
    const next = row ? nextSlot(row.settings, row.timeZone, new Date()) : null;
    return next
      ? new Intl.DateTimeFormat("en-GB", {
          timeZone: row!.timeZone,
          weekday: "long",
          day: "numeric",
          month: "long",
          hour: "2-digit",
          minute: "2-digit",
        }).format(next)
      : null;
  }

  return {
    prepare,
    async queueNow(event) {
      for (const email of await prepare(event)) await enqueueEmail(db, email);
    },
  };
}
