/**
 * Read models for the sync pages. Every function takes the session's organization id and
 * filters by it, so another organization's run is simply not found (404).
 */
import { and, asc, count, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { schools, sourceLinks, syncProblems, syncRunItems, syncRuns } from "../schema/index.ts";
import { isUuid } from "./roster.ts";

export type RunRow = typeof syncRuns.$inferSelect;
export const HISTORY_PAGE_SIZE = 25;

export async function findRun(db: Db, orgId: string, runId: string): Promise<RunRow | null> {
  if (!isUuid(runId)) return null;
  const [run] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.orgId, orgId), eq(syncRuns.id, runId)));
  return run ?? null;
}

/** The newest runs that changed or tried to change the roster (dry runs are previews), newest first. */
export async function recentRuns(db: Db, orgId: string, limit = 20): Promise<RunRow[]> {
  return db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.orgId, orgId), eq(syncRuns.dryRun, false)))
    .orderBy(desc(syncRuns.createdAt))
    .limit(limit);
}

export async function listRuns(db: Db, orgId: string, page: number): Promise<{ rows: RunRow[]; total: number }> {
  const where = eq(syncRuns.orgId, orgId);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(syncRuns)
      .where(where)
      .orderBy(desc(syncRuns.createdAt))
      .limit(HISTORY_PAGE_SIZE)
      .offset((page - 1) * HISTORY_PAGE_SIZE),
    db.select({ value: count() }).from(syncRuns).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}

/** Runs per day over the last `days` days, by outcome, for the history chart. */
export async function runsPerDay(db: Db, orgId: string, days: number, now: Date): Promise<{ day: string; succeeded: number; failed: number; other: number }[]> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const rows = await db
    .select({
      day: sql<string>`to_char(date_trunc('day', ${syncRuns.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`,
      status: syncRuns.status,
      runs: count(),
    })
    .from(syncRuns)
    .where(and(eq(syncRuns.orgId, orgId), gt(syncRuns.createdAt, since)))
    .groupBy(sql`1`, syncRuns.status);
  const byDay = new Map<string, { day: string; succeeded: number; failed: number; other: number }>();
  for (let offset = days - 1; offset >= 0; offset--) {
    const day = new Date(now.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
    byDay.set(day, { day, succeeded: 0, failed: 0, other: 0 });
  }
  for (const row of rows) {
    const entry = byDay.get(row.day);
    if (!entry) continue;
    if (row.status === "succeeded") entry.succeeded += Number(row.runs);
    else if (row.status === "failed") entry.failed += Number(row.runs);
    else entry.other += Number(row.runs);
  }
  return [...byDay.values()];
}

export async function runProblems(db: Db, orgId: string, runId: string, options: { afterId?: number; limit: number }) {
  return db
    .select()
    .from(syncProblems)
    .where(and(eq(syncProblems.orgId, orgId), eq(syncProblems.runId, runId), gt(syncProblems.id, options.afterId ?? 0)))
    .orderBy(asc(syncProblems.id))
    .limit(options.limit);
}

export async function runItems(db: Db, orgId: string, runId: string, options: { entities?: string[]; afterId?: number; limit: number }) {
  const conditions = [eq(syncRunItems.orgId, orgId), eq(syncRunItems.runId, runId), gt(syncRunItems.id, options.afterId ?? 0)];
  if (options.entities) conditions.push(inArray(syncRunItems.entity, options.entities));
  return db
    .select({
      id: syncRunItems.id,
      entity: syncRunItems.entity,
      status: syncRunItems.status,
      action: syncRunItems.action,
      entityId: syncRunItems.entityId,
      sourceId: syncRunItems.sourceId,
      label: syncRunItems.label,
      after: syncRunItems.after,
      explanation: syncRunItems.explanation,
    })
    .from(syncRunItems)
    .where(and(...conditions))
    .orderBy(asc(syncRunItems.id))
    .limit(options.limit);
}

/** Every page of a keyed list, one page in memory at a time (for the CSV downloads). */
export async function* pages<Row extends { id: number }>(fetch: (afterId: number) => Promise<Row[]>): AsyncGenerator<Row> {
  let afterId = 0;
  for (;;) {
    const rows = await fetch(afterId);
    if (!rows.length) return;
    yield* rows;
    afterId = rows.at(-1)!.id;
  }
}

/** The names of the organization's schools, by the source ids changes name them with (of one source, or of any). */
export async function schoolNamesBySourceId(db: Db, orgId: string, source?: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ sourceId: sourceLinks.sourceId, name: schools.name })
    .from(sourceLinks)
    .innerJoin(schools, eq(schools.id, sourceLinks.entityId))
    .where(and(eq(sourceLinks.orgId, orgId), source ? eq(sourceLinks.source, source) : undefined, eq(sourceLinks.entity, "school")));
  return new Map(rows.map((row) => [row.sourceId, row.name]));
}

/** Whether the organization's roster has ever been changed by a sync: until then every sync is previewed first. */
export async function hasAppliedRun(db: Db, orgId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: syncRuns.id })
    .from(syncRuns)
    .where(and(eq(syncRuns.orgId, orgId), eq(syncRuns.status, "succeeded"), eq(syncRuns.dryRun, false)))
    .limit(1);
  return Boolean(row);
}

/** Whether no run of any kind started after this one: a preview older than another run shows a plan that is out of date. */
export async function isNewestRun(db: Db, orgId: string, runId: string): Promise<boolean> {
  const [newest] = await db.select({ id: syncRuns.id }).from(syncRuns).where(eq(syncRuns.orgId, orgId)).orderBy(desc(syncRuns.createdAt)).limit(1);
  return newest?.id === runId;
}
