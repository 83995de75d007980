/**
 * The run lifecycle (ARCHITECTURE.md, "Vocabulary"): fetching -> planned -> (held ->) applying ->
 * succeeded, or failed / cancelled. One unfinished run per organization across all processes:
 * a partial unique index on sync_runs refuses the second. A run holds a lease that its
 * process renews; a run whose lease ran out belongs to a process that died, and is failed.
 */
import { and, eq, inArray, lt, ne, sql } from "drizzle-orm";
import { hostname } from "node:os";
import type { Config } from "../../config.ts";
import { type BulkSql, bulkTransaction } from "../../db/bulk.ts";
import type { Database } from "../../db/client.ts";
import { matchDecisions, syncRunItems, syncRuns, type RunTrigger } from "../../db/schema/index.ts";
import { errorFields, type Logger } from "../../lib/log.ts";
import { enqueueEmail, type OutgoingEmail } from "../../mail/outbox.ts";
import type { SyncNotifier } from "../../mail/sync-emails.ts";
import { ReadFailed, type FailureCause } from "../../roster/snapshot.ts";
import { ApplyFailed, applyFailureDetail, applyFailureMessage } from "../apply/failure.ts";
import { applyPlan } from "../apply/index.ts";
import { type Connection, loadConnection, saveCursor } from "../../connections/details.ts";
import { readsChanges, type SourceReader } from "../../connections/reader.ts";
import { chooseRead, type ReadChoice } from "../policy/read-kind.ts";
import { loadReadHistory } from "../state/read-history.ts";
import { buildPlan, type BuiltPlan } from "./planner.ts";
import type { LearnerMatcher } from "../match/types.ts";
import type { OutOfScope, PlanCounts } from "../../run-record.ts";
import type { Source } from "../../roster/sources.ts";
import type { FieldChange, MatchDecision } from "../reconcile/types.ts";
import { classMoves } from "./preview-classes.ts";
import { checkSafety, readOrigin, type SafetyVerdict } from "../policy/safety.ts";
import { loadSyncContext } from "../state/settings.ts";
import { recordAudit } from "../../db/queries/audit.ts";

export interface SyncDeps {
  database: Database;
  config: Pick<Config, "encryptionKey">;
  logger: Logger;
  readSource: SourceReader;
  matcher: LearnerMatcher;
  notifier?: SyncNotifier | undefined;
  leaseSeconds?: number | undefined;
  now?: (() => Date) | undefined;
}

export class RunInProgressError extends Error {
  constructor() {
    super("A sync is already running for this organization. Wait for it to finish, then try again.");
    this.name = "RunInProgressError";
  }
}

export class NoSourceError extends Error {
  constructor() {
    super("No roster source is connected yet. Connect Clever, OneRoster or Wonde first.");
    this.name = "NoSourceError";
  }
}

export const PROCESS_ID = `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
const DEFAULT_LEASE_SECONDS = 60;
const ACTIVE_STATUSES = ["fetching", "planned", "applying"] as const;

const leaseSecondsOf = (deps: SyncDeps) => deps.leaseSeconds ?? (Number(process.env.ROLLCALL_RUN_LEASE_SECONDS) || DEFAULT_LEASE_SECONDS);
const nowOf = (deps: SyncDeps) => deps.now?.() ?? new Date();

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  return code === "23505";
}

export interface StartOptions {
  orgId: string;
  trigger: RunTrigger;
  dryRun?: boolean;
  startedBy?: string | null;
  /** Scheduled runs: the slot claimed, which attempt (2 = the one retry), and the run retried. */
  slot?: Date;
  attempt?: number;
  retryOf?: string;
}

/** Creates the run row (status fetching), or throws RunInProgressError. */
export async function startRun(deps: SyncDeps, options: StartOptions): Promise<string> {
  const db = deps.database.db;
  await failStaleRuns(deps, options.orgId);
  const context = await loadSyncContext(db, options.orgId);
  const source = context.row.activeSource;
  if (!source) throw new NoSourceError();
  let runId: string;
  try {
    const [run] = await db
      .insert(syncRuns)
      .values({
        orgId: options.orgId,
        source,
        trigger: options.trigger,
        dryRun: options.dryRun ?? false,
        startedBy: options.startedBy ?? null,
        slot: options.slot ?? null,
        attempt: options.attempt ?? 1,
        retryOf: options.retryOf ?? null,
        leaseOwner: PROCESS_ID,
        leaseExpiresAt: new Date(nowOf(deps).getTime() + leaseSecondsOf(deps) * 1000),
        progress: { phase: "waiting" },
      })
      .returning({ id: syncRuns.id });
    runId = run!.id;
  } catch (error) {
    if (isUniqueViolation(error)) throw new RunInProgressError();
    throw error;
  }
  if (!options.dryRun) {
    // A held plan is stale once a newer sync starts: it is replaced, not applied later. Done
    // after the insert, so a process that loses the race for a run (or a slot) cancels nothing.
    await db
      .update(syncRuns)
      .set({ status: "cancelled", finishedAt: nowOf(deps), errorMessage: "Replaced by a newer sync before it was approved." })
      .where(and(eq(syncRuns.orgId, options.orgId), eq(syncRuns.status, "held"), ne(syncRuns.id, runId)));
  }
  return runId;
}

export interface RunOutcome {
  runId: string;
  status: "planned" | "held" | "succeeded" | "failed";
  counts?: PlanCounts | undefined;
  /** What the scope left out, by why. */
  outOfScope?: OutOfScope | undefined;
  reasons?: string[] | undefined;
  errorMessage?: string | undefined;
}

export interface CheckedPlan {
  built: BuiltPlan;
  verdict: SafetyVerdict;
}

/**
 * Reads the source, plans, and judges the plan by the safety rules: what a sync does before it
 * applies anything, and all that "Try the connection" does, so the two never disagree.
 */
export async function planAndCheck(
  deps: SyncDeps,
  input: {
    orgId: string;
    trigger: RunTrigger;
    connection: Connection;
    changesOnly?: boolean;
    signal?: AbortSignal;
    onProgress?: (phase: string, recordsRead: number) => void;
  },
): Promise<CheckedPlan> {
  const db = deps.database.db;
  const { orgId, connection } = input;
  const source = connection.details.source;
  const context = await loadSyncContext(db, orgId, nowOf(deps));
  const built = await buildPlan({
    db,
    orgId,
    source,
    trigger: input.trigger,
    context,
    decisions: await loadDecisions(deps, orgId, source),
    matcher: deps.matcher,
    read: (sink) => deps.readSource(connection, sink, { signal: input.signal, changesOnly: input.changesOnly ?? false }),
    changesOnly: input.changesOnly,
    onProgress: input.onProgress,
  });
  const facts = { mode: built.summary.mode, read: built.readCounts, synced: await built.syncedTotals(), origin: readOrigin(connection.details, built.summary) };
  return { built, verdict: checkSafety(built.plan, facts, context.safety, input.trigger) };
}

/** Starts and runs a sync to its end. */
export async function syncOrganization(deps: SyncDeps, options: StartOptions): Promise<RunOutcome> {
  const runId = await startRun(deps, options);
  return executeRun(deps, runId);
}

/**
 * Works a run from fetching to its end. `approved` lifts the hold (an admin approved it);
 * the plan is made again from a fresh read, so what is applied is never older than the approval.
 */
export async function executeRun(deps: SyncDeps, runId: string, options: { approved?: boolean } = {}): Promise<RunOutcome> {
  const db = deps.database.db;
  const [run] = await db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  if (!run) throw new Error(`executeRun: no run ${runId}`);
  const heartbeat = keepLease(deps, runId);
  let checked: CheckedPlan | undefined;
  try {
    const connection = await loadConnection(db, run.orgId, run.source, deps.config.encryptionKey);
    if (!connection)
      return await failRun(
        deps,
        run,
        "The connection to your school's system is missing. Set it up again on the Settings page.",
        "no connection row",
        "settings",
      );
    await db.delete(syncRunItems).where(eq(syncRunItems.runId, runId));

    const choice = await chooseReadFor(deps, run, connection);
    try {
      checked = await planAndCheck(deps, {
        orgId: run.orgId,
        trigger: run.trigger,
        connection,
        changesOnly: choice.changesOnly,
        onProgress: throttledProgress(deps, runId),
      });
    } catch (error) {
      if (error instanceof ReadFailed) return await failRun(deps, run, error.message, error.detail ?? error.message, error.failure);
      throw error;
    }
    const { built, verdict } = checked;
    const { plan, state } = built;
    // A file names its own kind (its manifest); a source asked for changes may still have answered with everything.
    const readMode = built.summary.mode;
    await db
      .update(syncRuns)
      .set({ readMode, readReason: readMode === "delta" ? "changes" : choice.changesOnly ? "first" : choice.reason })
      .where(eq(syncRuns.id, runId));
    await recordProblems(deps, run.orgId, runId, plan.problems);

    if (run.dryRun || (verdict.hold && !options.approved)) {
      const status = run.dryRun ? "planned" : "held";
      await writePreview(deps, run, built);
      await db
        .update(syncRuns)
        .set({
          status,
          counts: plan.counts,
          outOfScope: built.outOfScope,
          problemCount: plan.problems.length,
          // One reason a line: the pages list them.
          holdReason: verdict.hold ? verdict.reasons.join("\n") : null,
          plannedAt: nowOf(deps),
          progress: { phase: status },
          leaseOwner: null,
          leaseExpiresAt: null,
        })
        .where(eq(syncRuns.id, runId));
      if (status === "held") {
        await deps.notifier?.queueNow({ orgId: run.orgId, runId, event: "held", counts: plan.counts, reasons: verdict.reasons });
        await recordAudit(db, { orgId: run.orgId, actor: actorOf(run.trigger), runId, action: "sync.held", detail: { reasons: verdict.reasons } });
      }
      deps.logger.info(`sync.${status}`, { runId, orgId: run.orgId });
      return { runId, status, counts: plan.counts, outOfScope: built.outOfScope, reasons: verdict.reasons };
    }

    await db
      .update(syncRuns)
      .set({ status: "applying", counts: plan.counts, outOfScope: built.outOfScope, plannedAt: nowOf(deps), progress: { phase: "applying" } })
      .where(eq(syncRuns.id, runId));
    const emails = (await deps.notifier?.prepare({ orgId: run.orgId, runId, event: "succeeded", counts: plan.counts })) ?? [];
    try {
      await applyPlan({
        database: deps.database,
        orgId: run.orgId,
        runId,
        source: run.source,
        plan,
        links: state.links,
        now: nowOf(deps),
        finish: (bulk) =>
          finishSucceeded(bulk, {
            run,
            counts: plan.counts,
            problemCount: plan.problems.length,
            cursor: built.summary.cursor ?? null,
            emails,
            now: nowOf(deps),
          }),
      });
    } catch (error) {
      // The transaction rolled back and the bulk connection is free again: the run ends now, not when its lease runs out.
      deps.logger.error("sync.apply_failed", { runId, orgId: run.orgId, step: error instanceof ApplyFailed ? error.step : undefined, ...errorFields(error) });
      return await failRun(deps, run, applyFailureMessage(error), applyFailureDetail(error));
    }
    if (built.summary.cursor) await saveCursor(db, run.orgId, run.source, built.summary.cursor);
    deps.logger.info("sync.succeeded", { runId, orgId: run.orgId });
    return { runId, status: "succeeded", counts: plan.counts, outOfScope: built.outOfScope };
  } catch (error) {
    deps.logger.error("sync.crashed", { runId, ...errorFields(error) });
    return await failRun(
      deps,
      run,
      "The sync stopped because of an unexpected problem. Nothing was changed. Try again, and tell your vendor if it keeps happening.",
      (error as Error).stack ?? String(error),
    );
  } finally {
    heartbeat.stop();
    checked?.built.release();
  }
}

async function chooseReadFor(deps: SyncDeps, run: typeof syncRuns.$inferSelect, connection: Connection): Promise<ReadChoice> {
  const context = await loadSyncContext(deps.database.db, run.orgId, nowOf(deps));
  return chooseRead({
    trigger: run.trigger,
    canReadChanges: readsChanges(connection),
    history: await loadReadHistory(deps.database.db, run.orgId, run.source, connection.cursor),
    fullReadEveryDays: context.row.fullReadEveryDays,
    now: nowOf(deps),
  });
}

const actorOf = (trigger: RunTrigger) => (trigger === "scheduled" ? "scheduler" : trigger === "cli" ? "operator" : "user");

async function finishSucceeded(
  bulk: BulkSql,
  input: { run: typeof syncRuns.$inferSelect; counts: PlanCounts; problemCount: number; cursor: string | null; emails: OutgoingEmail[]; now: Date },
): Promise<void> {
  const { run } = input;
  await bulk.query(
    `update sync_runs set status = 'succeeded', counts = $2::text::jsonb, problem_count = $3, cursor = $4, finished_at = $5::timestamptz,
       progress = '{"phase":"succeeded"}'::jsonb, lease_owner = null, lease_expires_at = null where id = $1`,
    [run.id, JSON.stringify(input.counts), input.problemCount, input.cursor, input.now.toISOString()],
  );
  await recordAudit(bulk.db, {
    orgId: run.orgId,
    actor: actorOf(run.trigger),
    actorUserId: run.approvedBy ?? run.startedBy,
    runId: run.id,
    action: "sync.applied",
    detail: { trigger: run.trigger, counts: input.counts },
  });
  // Queued in the same transaction as the change it reports: a rolled-back run sends nothing.
  for (const email of input.emails) await enqueueEmail(bulk.db, email);
}

async function failRun(
  deps: SyncDeps,
  run: typeof syncRuns.$inferSelect,
  message: string,
  detail: string,
  failure?: FailureCause | undefined,
): Promise<RunOutcome> {
  await deps.database.db
    .update(syncRuns)
    .set({
      status: "failed",
      errorMessage: message,
      errorDetail: detail.slice(0, 4000),
      finishedAt: nowOf(deps),
      progress: { phase: "failed" },
      leaseOwner: null,
      leaseExpiresAt: null,
    })
    .where(eq(syncRuns.id, run.id));
  // The detail can quote what was read or a failed query's values: it stays on the run row.
  deps.logger.warn("sync.failed", { runId: run.id, orgId: run.orgId });
  await deps.notifier?.queueNow({ orgId: run.orgId, runId: run.id, event: "failed", errorMessage: message, failure }).catch((error: unknown) => {
    deps.logger.error("mail.sync_failed_email_not_queued", { runId: run.id, ...errorFields(error) });
  });
  return { runId: run.id, status: "failed", errorMessage: message };
}

async function loadDecisions(deps: SyncDeps, orgId: string, source: typeof syncRuns.$inferSelect.source): Promise<Map<string, MatchDecision[]>> {
  const rows = await deps.database.db
    .select()
    .from(matchDecisions)
    .where(and(eq(matchDecisions.orgId, orgId), eq(matchDecisions.source, source)));
  const decisions = new Map<string, MatchDecision[]>();
  for (const row of rows) {
    const list = decisions.get(row.sourceId) ?? [];
    list.push({ learnerId: row.learnerId, decision: row.decision });
    decisions.set(row.sourceId, list);
  }
  return decisions;
}

async function recordProblems(deps: SyncDeps, orgId: string, runId: string, problems: BuiltPlan["plan"]["problems"]): Promise<void> {
  await deps.database.db.execute(sql`delete from sync_problems where run_id = ${runId}`);
  if (!problems.length) return;
  await bulkTransaction(deps.database, (bulk) =>
    bulk.copyIn(
      "sync_problems",
      ["run_id", "org_id", "severity", "file", "line", "field", "entity", "source_id", "message"],
      problems.map((problem) => [runId, orgId, problem.severity, problem.file, problem.line, problem.field, problem.entity, problem.sourceId, problem.message]),
    ),
  );
}

/** A held or dry run shows what it would do: its items without before-images, and learners' classes moving with them. */
async function writePreview(deps: SyncDeps, run: { orgId: string; id: string; trigger: RunTrigger }, built: BuiltPlan): Promise<void> {
  const { orgId, id: runId } = run;
  const rows: unknown[][] = [];
  const moves = await classMoves(deps.database.db, built, { endsClassesLeavingTheRoster: run.trigger === "wizard" });
  const entities = [
    ["learner", built.plan.learners],
    ["educator", built.plan.educators],
    ["class", built.plan.classes],
  ] as const;
  for (const [entity, items] of entities) {
    for (const item of items) {
      rows.push([
        runId,
        orgId,
        entity,
        item.status,
        item.action,
        item.entityId,
        item.sourceId,
        item.label,
        { changes: withMove(item.changes, entity === "learner" && item.entityId ? moves.get(item.entityId) : undefined), flags: item.flags ?? [] },
        item.explanation ?? null,
      ]);
    }
  }
  if (!rows.length) return;
  await bulkTransaction(deps.database, (bulk) =>
    bulk.copyIn("sync_run_items", ["run_id", "org_id", "entity", "status", "action", "entity_id", "source_id", "label", "after", "explanation"], rows),
  );
}

const withMove = (changes: FieldChange[], move: FieldChange | undefined) => (move ? [...changes, move] : changes);

/** Progress for the status page: at most once a second. */
function throttledProgress(deps: SyncDeps, runId: string) {
  let last = 0;
  return (phase: string, recordsRead: number) => {
    const now = Date.now();
    if (now - last < 1000 && phase === "reading") return;
    last = now;
    void deps.database.db
      .update(syncRuns)
      .set({ progress: { phase, recordsRead } })
      .where(eq(syncRuns.id, runId))
      .catch(() => {});
  };
}

/** Renews the run's lease while this process works on it. */
function keepLease(deps: SyncDeps, runId: string): { stop(): void } {
  const seconds = leaseSecondsOf(deps);
  const timer = setInterval(
    () => {
      void deps.database.db
        .update(syncRuns)
        .set({ leaseOwner: PROCESS_ID, leaseExpiresAt: new Date(Date.now() + seconds * 1000) })
        .where(and(eq(syncRuns.id, runId), inArray(syncRuns.status, [...ACTIVE_STATUSES])))
        .catch(() => {});
    },
    Math.max(250, (seconds * 1000) / 3),
  );
  return { stop: () => clearInterval(timer) };
}

export const STOPPED_RUN_MESSAGE =
  "This sync did not finish: the process running it stopped (the server restarted or lost its connection). Nothing was changed by it. You can start another sync now.";

/**
 * Runs whose lease ran out belong to a process that died: they are failed (and undo nothing:
 * their transaction never committed). Called wherever a dead run would be in the way: before
 * a run starts (page, CLI, scheduler), on the sync page, and on every scheduler tick.
 */
export async function failStaleRuns(deps: Pick<SyncDeps, "database" | "logger" | "now">, orgId?: string): Promise<string[]> {
  const now = deps.now?.() ?? new Date();
  const conditions = [inArray(syncRuns.status, [...ACTIVE_STATUSES]), lt(syncRuns.leaseExpiresAt, now)];
  if (orgId) conditions.push(eq(syncRuns.orgId, orgId));
  const failed = await deps.database.db
    .update(syncRuns)
    .set({
      status: "failed",
      errorMessage: STOPPED_RUN_MESSAGE,
      errorDetail: "lease expired",
      finishedAt: now,
      progress: { phase: "failed" },
      leaseOwner: null,
      leaseExpiresAt: null,
    })
    .where(and(...conditions))
    .returning({ id: syncRuns.id, orgId: syncRuns.orgId });
  for (const run of failed) deps.logger.warn("sync.lease_expired", { runId: run.id, orgId: run.orgId });
  return failed.map((run) => run.id);
}

export const MISSED_SLOT_MESSAGE =
  "This scheduled sync did not start: Rollcall was busy with other syncs until the time for it had passed. Nothing was changed. You can start a sync now, or wait for the next scheduled one.";

/**
 * A schedule slot that no process had room to start before its deadline is recorded as a
 * failed run, so the admins are told and the page shows it. The slot's unique index makes this
 * happen once across processes, and never for a slot that has a run: then it returns null.
 */
export async function recordMissedSlot(deps: SyncDeps, input: { orgId: string; source: Source; slot: Date }): Promise<string | null> {
  let runId: string;
  try {
    const [run] = await deps.database.db
      .insert(syncRuns)
      .values({
        orgId: input.orgId,
        source: input.source,
        trigger: "scheduled",
        status: "failed",
        slot: input.slot,
        attempt: 1,
        errorMessage: MISSED_SLOT_MESSAGE,
        errorDetail: "not started before the slot's deadline: every process was at its SYNC_CONCURRENCY, or another run of the organization was in progress",
        finishedAt: nowOf(deps),
        progress: { phase: "failed" },
      })
      .returning({ id: syncRuns.id });
    runId = run!.id;
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  deps.logger.warn("sync.slot_missed", { runId, orgId: input.orgId, slot: input.slot.toISOString() });
  await deps.notifier
    ?.queueNow({ orgId: input.orgId, runId, event: "failed", errorMessage: MISSED_SLOT_MESSAGE, failure: "operator" })
    .catch((error: unknown) => {
      deps.logger.error("mail.sync_failed_email_not_queued", { runId, ...errorFields(error) });
    });
  return runId;
}

export class RunStateError extends Error {}

/** An admin approves a held run: it is planned again from a fresh read and applied. */
export async function approveRun(deps: SyncDeps, input: { orgId: string; runId: string; userId: string | null }, onClaimed?: () => void): Promise<RunOutcome> {
  let claimed: { id: string }[];
  try {
    claimed = await deps.database.db
      .update(syncRuns)
      .set({
        status: "fetching",
        approvedBy: input.userId,
        approvedAt: nowOf(deps),
        holdReason: null,
        leaseOwner: PROCESS_ID,
        leaseExpiresAt: new Date(nowOf(deps).getTime() + leaseSecondsOf(deps) * 1000),
      })
      .where(and(eq(syncRuns.id, input.runId), eq(syncRuns.orgId, input.orgId), eq(syncRuns.status, "held")))
      .returning({ id: syncRuns.id });
  } catch (error) {
    if (isUniqueViolation(error)) throw new RunInProgressError();
    throw error;
  }
  if (!claimed.length) throw new RunStateError("Only a sync waiting for approval can be approved.");
  await recordAudit(deps.database.db, { orgId: input.orgId, actor: "user", actorUserId: input.userId, runId: input.runId, action: "sync.approved" });
  onClaimed?.();
  return executeRun(deps, input.runId, { approved: true });
}

export async function cancelRun(deps: SyncDeps, input: { orgId: string; runId: string; userId: string | null }): Promise<void> {
  const cancelled = await deps.database.db
    .update(syncRuns)
    .set({ status: "cancelled", cancelledBy: input.userId, finishedAt: nowOf(deps), progress: { phase: "cancelled" } })
    .where(and(eq(syncRuns.id, input.runId), eq(syncRuns.orgId, input.orgId), eq(syncRuns.status, "held")))
    .returning({ id: syncRuns.id });
  if (!cancelled.length) throw new RunStateError("Only a sync waiting for approval can be cancelled.");
  await recordAudit(deps.database.db, { orgId: input.orgId, actor: "user", actorUserId: input.userId, runId: input.runId, action: "sync.cancelled" });
}
