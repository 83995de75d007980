/**
 * The scheduler runs in every process (croner, once a minute). Each tick it:
 * 1. fails runs whose process died (their lease ran out), and retries a scheduled one once;
 * 2. starts a run for every organization whose latest schedule slot has just passed.
 * The database decides which process gets a slot: sync_runs has a unique index on
 * (organization, slot, attempt), so of several processes asking, exactly one creates the
 * run and the others are refused. Once an hour it also tries the day's purge of removed
 * learners (daily-jobs.ts: one process a day runs it). `stop()` waits for the ticks and for
 * running syncs.
 */
import { Cron } from "croner";
import { and, eq, gt, isNotNull } from "drizzle-orm";
import { organizations, syncRuns, syncSettings } from "../db/schema/index.ts";
import { type OrganizationPurge, purgeAllOrganizations } from "../lifecycle/purge.ts";
import { errorFields } from "../lib/log.ts";
import { failStaleRuns, NoSourceError, PROCESS_ID, RunInProgressError } from "../sync/run/lifecycle.ts";
import type { SyncService } from "../sync/run/service.ts";
import { runDailyJob } from "./daily-jobs.ts";
import { latestSlot } from "./slots.ts";

/** A slot missed by more than this (every process was down) is skipped, not run late. */
export const SLOT_GRACE_MS = 60 * 60_000;
/** A run whose process died is retried only if its slot is at most this old. */
const RETRY_WITHIN_MS = 6 * 60 * 60_000;

export interface TickResult {
  started: string[];
  retried: string[];
}

export interface Scheduler {
  tick(): Promise<TickResult>;
  /** The day's purge, if this process claims it; null when another process has. */
  dailyTick(): Promise<OrganizationPurge[] | null>;
  start(): void;
  stop(): Promise<void>;
}

export function createScheduler(sync: SyncService, options: { now?: () => Date } = {}): Scheduler {
  const { database, logger } = sync.deps;
  const db = database.db;
  const now = () => options.now?.() ?? new Date();
  let cron: Cron | undefined;
  let dailyCron: Cron | undefined;
  let ticking: Promise<unknown> = Promise.resolve();
  let dailyTicking: Promise<unknown> = Promise.resolve();

  /** Starts a scheduled run unless another process got there first. */
  async function claim(orgId: string, slot: Date, attempt: 1 | 2, retryOf?: string): Promise<string | null> {
    try {
      return await sync.start({ orgId, trigger: "scheduled", slot, attempt, ...(retryOf ? { retryOf } : {}) });
    } catch (error) {
      if (error instanceof RunInProgressError || error instanceof NoSourceError) return null;
      throw error;
    }
  }

  async function retryDeadRuns(): Promise<string[]> {
    // Leases are kept on the sync engine's clock, not the schedule's.
    await failStaleRuns({ database, logger, now: sync.deps.now });
    // Only recent slots: a slot from long ago is not worth running late.
    const oldest = new Date(now().getTime() - RETRY_WITHIN_MS);
    const dead = await db
      .select({ id: syncRuns.id, orgId: syncRuns.orgId, slot: syncRuns.slot })
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.trigger, "scheduled"),
          eq(syncRuns.status, "failed"),
          eq(syncRuns.attempt, 1),
          eq(syncRuns.errorDetail, "lease expired"),
          gt(syncRuns.slot, oldest),
        ),
      );
    const retried: string[] = [];
    for (const run of dead) {
      const [retry] = await db
        .select({ id: syncRuns.id })
        .from(syncRuns)
        .where(and(eq(syncRuns.orgId, run.orgId), eq(syncRuns.slot, run.slot!), eq(syncRuns.attempt, 2)));
      if (retry) continue;
      const id = await claim(run.orgId, run.slot!, 2, run.id);
      if (id) {
        logger.info("schedule.retried", { runId: id, retryOf: run.id, orgId: run.orgId });
        retried.push(id);
      }
    }
    return retried;
  }

  async function startDueSlots(): Promise<string[]> {
    const at = now();
    const due = await db
      .select({ orgId: syncSettings.orgId, settings: syncSettings, timeZone: organizations.timeZone })
      .from(syncSettings)
      .innerJoin(organizations, eq(organizations.id, syncSettings.orgId))
      .where(and(eq(syncSettings.scheduleEnabled, true), isNotNull(syncSettings.activeSource)));
    const started: string[] = [];
    for (const { orgId, settings, timeZone } of due) {
      const slot = latestSlot(settings, timeZone, at, 2);
      if (!slot || at.getTime() - slot.getTime() > SLOT_GRACE_MS) continue;
      // Cheap check first; the unique index is what makes the claim safe.
      const [taken] = await db
        .select({ id: syncRuns.id })
        .from(syncRuns)
        .where(and(eq(syncRuns.orgId, orgId), eq(syncRuns.slot, slot)));
      if (taken) continue;
      const id = await claim(orgId, slot, 1);
      if (id) {
        logger.info("schedule.started", { runId: id, orgId, slot: slot.toISOString() });
        started.push(id);
      }
    }
    return started;
  }

  async function tick(): Promise<TickResult> {
    const retried = await retryDeadRuns();
    const started = await startDueSlots();
    return { started, retried };
  }

  async function dailyTick(): Promise<OrganizationPurge[] | null> {
    const claimed = await runDailyJob(db, { job: "purge", now: now(), owner: PROCESS_ID }, () => purgeAllOrganizations({ database, logger }, now()));
    return claimed?.result ?? null;
  }

  return {
    tick,
    dailyTick,
    start() {
      cron = new Cron("* * * * *", { protect: true }, () => {
        const work = tick().then(
          () => undefined,
          (error: unknown) => logger.error("schedule.tick_failed", errorFields(error)),
        );
        ticking = work;
        return work;
      });
      // Hourly, in its own job so a long purge never delays a sync's slot.
      dailyCron = new Cron("17 * * * *", { protect: true }, () => {
        const work = dailyTick().then(
          () => undefined,
          (error: unknown) => logger.error("schedule.daily_failed", errorFields(error)),
        );
        dailyTicking = work;
        return work;
      });
    },
    async stop() {
      cron?.stop();
      dailyCron?.stop();
      await ticking;
      await dailyTicking;
      await sync.idle();
    },
  };
}
