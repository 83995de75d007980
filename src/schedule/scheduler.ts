/**
 * The scheduler runs in every process (croner, once a minute). Each tick it:
 * 1. fails runs whose process died (their lease ran out), and queues a scheduled one's one retry;
 * 2. finds every organization's latest slot that has passed and has no run yet;
 * 3. records as missed those it found due last time that are now past their deadline
 *    (slotDeadline: a slot inside the off-peak window may wait until the window ends), and
 *    queues the others.
 * It starts queued slots while this process runs fewer than `concurrency` syncs, and again each
 * time one of its syncs ends; a slot it has no room for stays unclaimed, for whichever process
 * has room first. The database decides which process gets a slot: sync_runs has a unique index
 * on (organization, slot, attempt), so of several processes asking, exactly one creates the
 * run and the others are refused. Syncs an admin starts are never held back, but count against
 * the bound. Once an hour it also tries the day's purge of removed learners (daily-jobs.ts: one
 * process a day runs it). `stop()` waits for the ticks and for running syncs.
 */
import { Cron } from "croner";
import { and, eq, gt, inArray, isNotNull } from "drizzle-orm";
import { DEFAULT_OFF_PEAK, DEFAULT_SYNC_CONCURRENCY } from "../config.ts";
import { organizations, syncRuns, syncSettings } from "../db/schema/index.ts";
import { type OrganizationPurge, purgeAllOrganizations } from "../lifecycle/purge.ts";
import { errorFields } from "../lib/log.ts";
import type { Source } from "../roster/sources.ts";
import { failStaleRuns, NoSourceError, PROCESS_ID, recordMissedSlot, RunInProgressError } from "../sync/run/lifecycle.ts";
import type { SyncService } from "../sync/run/service.ts";
import { runDailyJob } from "./daily-jobs.ts";
import { latestSlot, type OffPeak, slotDeadline } from "./slots.ts";

/** A run whose process died is retried only if its slot is at most this old. */
const RETRY_WITHIN_MS = 6 * 60 * 60_000;

export interface TickResult {
  started: string[];
  retried: string[];
  /** Slots recorded as missed: no process had room for them before their deadline. */
  missed: string[];
}

export interface Scheduler {
  tick(): Promise<TickResult>;
  /** The day's purge, if this process claims it; null when another process has. */
  dailyTick(): Promise<OrganizationPurge[] | null>;
  start(): void;
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  now?: () => Date;
  /** At most this many syncs at once in this process (SYNC_CONCURRENCY). */
  concurrency?: number;
  offPeak?: OffPeak;
}

/** A slot waiting for room: attempt 2 is the one retry of a run whose process died. */
interface DueSlot {
  orgId: string;
  source: Source;
  slot: Date;
  attempt: 1 | 2;
  retryOf?: string;
  deadline: Date;
}

const keyOf = (slot: { orgId: string; slot: Date; attempt: number }) => `${slot.orgId} ${slot.slot.getTime()} ${slot.attempt}`;

export function createScheduler(sync: SyncService, options: SchedulerOptions = {}): Scheduler {
  const { database, logger } = sync.deps;
  const db = database.db;
  const now = () => options.now?.() ?? new Date();
  const concurrency = options.concurrency ?? DEFAULT_SYNC_CONCURRENCY;
  const offPeak = options.offPeak ?? DEFAULT_OFF_PEAK;
  let cron: Cron | undefined;
  let dailyCron: Cron | undefined;
  let dailyTicking: Promise<unknown> = Promise.resolve();
  let stopped = false;
  /** What the last tick found due, and the part of it not tried yet. */
  let due: DueSlot[] = [];
  let waiting: DueSlot[] = [];

  // Ticks and starts take turns, so two of them never both see room for the same place.
  let turns: Promise<unknown> = Promise.resolve();
  function inTurn<T>(work: () => Promise<T>): Promise<T> {
    const next = turns.then(work, work);
    turns = next.catch(() => undefined);
    return next;
  }

  const stopListening = sync.onRunEnded(() => {
    if (stopped || !waiting.length) return;
    inTurn(startWaiting).catch((error: unknown) => logger.error("schedule.start_failed", errorFields(error)));
  });

  /** Of these slots, the ones that already have a run (one query, not one per organization). */
  async function taken(slots: DueSlot[]): Promise<Set<string>> {
    if (!slots.length) return new Set();
    const orgIds = [...new Set(slots.map((due) => due.orgId))];
    const times = [...new Map(slots.map((due) => [due.slot.getTime(), due.slot])).values()];
    const rows = await db
      .select({ orgId: syncRuns.orgId, slot: syncRuns.slot, attempt: syncRuns.attempt })
      .from(syncRuns)
      .where(and(inArray(syncRuns.orgId, orgIds), inArray(syncRuns.slot, times)));
    return new Set(rows.map((row) => keyOf({ ...row, slot: row.slot! })));
  }

  /** Scheduled first attempts whose process died, not yet retried, from recent slots only. */
  async function deadRuns(at: Date): Promise<DueSlot[]> {
    // Leases are kept on the sync engine's clock, not the schedule's.
    await failStaleRuns({ database, logger, now: sync.deps.now });
    const dead = await db
      .select({ id: syncRuns.id, orgId: syncRuns.orgId, source: syncRuns.source, slot: syncRuns.slot })
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.trigger, "scheduled"),
          eq(syncRuns.status, "failed"),
          eq(syncRuns.attempt, 1),
          eq(syncRuns.errorDetail, "lease expired"),
          gt(syncRuns.slot, new Date(at.getTime() - RETRY_WITHIN_MS)),
        ),
      );
    return dead.map((run) => ({
      orgId: run.orgId,
      source: run.source,
      slot: run.slot!,
      attempt: 2 as const,
      retryOf: run.id,
      deadline: new Date(run.slot!.getTime() + RETRY_WITHIN_MS),
    }));
  }

  /** Every organization's latest slot that has passed, with the latest it may start. */
  async function latestSlots(at: Date): Promise<DueSlot[]> {
    const rows = await db
      .select({ orgId: syncSettings.orgId, settings: syncSettings, timeZone: organizations.timeZone })
      .from(syncSettings)
      .innerJoin(organizations, eq(organizations.id, syncSettings.orgId))
      .where(and(eq(syncSettings.scheduleEnabled, true), isNotNull(syncSettings.activeSource)));
    const slots: DueSlot[] = [];
    for (const { orgId, settings, timeZone } of rows) {
      const slot = latestSlot(settings, timeZone, at, 2);
      if (slot) slots.push({ orgId, source: settings.activeSource!, slot, attempt: 1, deadline: slotDeadline(slot, settings, timeZone, offPeak) });
    }
    return slots;
  }

  /** Records a slot that waited past its deadline, found due last time and still without a run, as missed. */
  async function recordMissed(expired: DueSlot[]): Promise<string[]> {
    const waited = new Set(due.map(keyOf));
    const missed: string[] = [];
    for (const slot of expired) {
      if (slot.attempt !== 1 || !waited.has(keyOf(slot))) continue;
      const id = await recordMissedSlot(sync.deps, slot);
      if (id) missed.push(id);
    }
    return missed;
  }

  /** Starts waiting slots, oldest first, while this process has room. */
  async function startWaiting(): Promise<Omit<TickResult, "missed">> {
    const started: string[] = [];
    const retried: string[] = [];
    while (!stopped && sync.running < concurrency && waiting.length) {
      const slot = waiting.shift()!;
      if (slot.deadline < now()) continue;
      // Cheap check first; the unique index is what makes the claim safe.
      if ((await taken([slot])).has(keyOf(slot))) continue;
      const id = await claim(slot);
      if (!id) continue;
      logger.info(slot.attempt === 1 ? "schedule.started" : "schedule.retried", {
        runId: id,
        orgId: slot.orgId,
        slot: slot.slot.toISOString(),
        retryOf: slot.retryOf,
      });
      (slot.attempt === 1 ? started : retried).push(id);
    }
    return { started, retried };
  }

  /** Starts a scheduled run unless another process got there first. */
  async function claim(slot: DueSlot): Promise<string | null> {
    try {
      return await sync.start({
        orgId: slot.orgId,
        trigger: "scheduled",
        slot: slot.slot,
        attempt: slot.attempt,
        ...(slot.retryOf ? { retryOf: slot.retryOf } : {}),
      });
    } catch (error) {
      if (error instanceof RunInProgressError || error instanceof NoSourceError) return null;
      throw error;
    }
  }

  function tick(): Promise<TickResult> {
    return inTurn(async () => {
      const at = now();
      const slots = [...(await deadRuns(at)), ...(await latestSlots(at))];
      const done = await taken(slots);
      const open = slots.filter((slot) => !done.has(keyOf(slot)));
      const missed = await recordMissed(open.filter((slot) => slot.deadline < at));
      due = open.filter((slot) => slot.deadline >= at);
      // Retries first (their slot has waited longest), then the oldest slots.
      waiting = due.toSorted((a, b) => b.attempt - a.attempt || a.slot.getTime() - b.slot.getTime());
      return { ...(await startWaiting()), missed };
    });
  }

  async function dailyTick(): Promise<OrganizationPurge[] | null> {
    const claimed = await runDailyJob(db, { job: "purge", now: now(), owner: PROCESS_ID }, () => purgeAllOrganizations({ database, logger }, now()));
    return claimed?.result ?? null;
  }

  return {
    tick,
    dailyTick,
    start() {
      cron = new Cron("* * * * *", { protect: true }, () =>
        tick().then(
          () => undefined,
          (error: unknown) => logger.error("schedule.tick_failed", errorFields(error)),
        ),
      );
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
      stopped = true;
      stopListening();
      cron?.stop();
      dailyCron?.stop();
      await turns;
      await dailyTicking;
      await sync.idle();
    },
  };
}
