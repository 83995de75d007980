/**
 * The May match pairs an admin still has to answer, and their answers. An answer is kept per
 * (source record, existing learner), so a rejected pair is not asked again and an accepted
 * one is applied as Matched by the next sync (reconcile reads match_decisions).
 */
import { and, count, desc, eq, inArray, max, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { learners, matchDecisions, schools, syncRunItems, syncRuns, yearGroups } from "../db/schema/index.ts";
import { isUuid } from "../db/queries/roster.ts";
import { recordAudit } from "../db/queries/audit.ts";
import type { ItemExplanation } from "../sync/reconcile/types.ts";

export interface PendingPair {
  itemId: number;
  runId: string;
  source: string;
  sourceId: string;
  label: string;
  /** Field-level differences between the existing learner and the incoming record. */
  changes: { field: string; before: unknown; after: unknown }[];
  explanation: ItemExplanation | null;
  existing: {
    id: string;
    name: string;
    dateOfBirth: string | null;
    yearGroup: string | null;
    yearGroupCode: string | null;
    school: string | null;
    status: string;
  };
}

/** The latest run that planned May match pairs: the pairs waiting for an answer are its. */
async function reviewRun(db: Db, orgId: string): Promise<{ id: string; source: string } | null> {
  const [run] = await db
    .select({ id: syncRuns.id, source: syncRuns.source })
    .from(syncRuns)
    .where(
      and(
        eq(syncRuns.orgId, orgId),
        inArray(syncRuns.status, ["held", "succeeded", "planned"]),
        // entity first, so the run items' (run, entity, status) index answers it without reading the run's other items.
        sql`exists (select 1 from ${syncRunItems} where ${syncRunItems.runId} = ${syncRuns.id} and ${syncRunItems.entity} = 'learner' and ${syncRunItems.status} = 'May match')`,
      ),
    )
    .orderBy(desc(syncRuns.createdAt))
    .limit(1);
  return run ?? null;
}

/** The run's May match items nobody has answered yet. */
function unanswered(orgId: string, run: { id: string; source: string }) {
  return and(
    eq(syncRunItems.runId, run.id),
    eq(syncRunItems.entity, "learner"),
    eq(syncRunItems.status, "May match"),
    sql`not exists (select 1 from ${matchDecisions} d where d.org_id = ${orgId} and d.source = ${run.source}
          and d.source_id = ${syncRunItems.sourceId} and d.learner_id = ${syncRunItems.entityId})`,
  );
}

/** How many pairs wait for an answer, counted up to `cap` (a held run of a large district can have thousands). */
export async function countPendingPairs(db: Db, orgId: string, cap = 1000): Promise<{ count: number; more: boolean }> {
  const run = await reviewRun(db, orgId);
  if (!run) return { count: 0, more: false };
  const upToCap = db
    .select({ one: sql`1` })
    .from(syncRunItems)
    .where(unanswered(orgId, run))
    .limit(cap + 1)
    .as("up_to_cap");
  const [row] = await db.select({ value: count() }).from(upToCap);
  const found = row?.value ?? 0;
  return found > cap ? { count: cap, more: true } : { count: found, more: false };
}

/**
 * The pairs waiting for an answer, in the order of the incoming learner's name (then the item's
 * id): a page of them after `after` (a pair's label and item id), or all of them.
 */
export async function pendingPairs(
  db: Db,
  orgId: string,
  page: { after?: { label: string; itemId: number } | null; limit?: number } = {},
): Promise<PendingPair[]> {
  const run = await reviewRun(db, orgId);
  if (!run) return [];
  const after = page.after ? sql`(coalesce(${syncRunItems.label}, ''), ${syncRunItems.id}) > (${page.after.label}, ${page.after.itemId})` : undefined;
  const query = db
    .select({
      itemId: syncRunItems.id,
      sourceId: syncRunItems.sourceId,
      label: syncRunItems.label,
      after: syncRunItems.after,
      explanation: syncRunItems.explanation,
      learnerId: learners.id,
      givenName: learners.givenName,
      familyName: learners.familyName,
      dateOfBirth: learners.dateOfBirth,
      yearGroup: yearGroups.label,
      yearGroupCode: yearGroups.code,
      school: schools.name,
      status: learners.status,
    })
    .from(syncRunItems)
    .innerJoin(learners, and(eq(learners.id, syncRunItems.entityId), eq(learners.orgId, orgId)))
    .leftJoin(yearGroups, eq(yearGroups.id, learners.yearGroupId))
    .leftJoin(schools, eq(schools.id, learners.schoolId))
    .where(and(unanswered(orgId, run), after))
    .orderBy(sql`coalesce(${syncRunItems.label}, '')`, syncRunItems.id);
  const rows = page.limit ? await query.limit(page.limit) : await query;
  return rows.map((row) => ({
    itemId: row.itemId,
    runId: run.id,
    source: run.source,
    sourceId: row.sourceId ?? "",
    label: row.label ?? "",
    changes: ((row.after as { changes?: PendingPair["changes"] } | null)?.changes ?? []).filter((change) => change.field !== "status"),
    explanation: row.explanation as ItemExplanation | null,
    existing: {
      id: row.learnerId,
      name: `${row.givenName} ${row.familyName}`,
      dateOfBirth: row.dateOfBirth,
      yearGroup: row.yearGroup,
      yearGroupCode: row.yearGroupCode,
      school: row.school,
      status: row.status,
    },
  }));
}

export type Answer = "accepted" | "rejected";

/** Records an admin's answer to one pair of this organization; false when the pair is not theirs. */
export async function answerPair(db: Db, input: { orgId: string; userId: string; itemId: string; answer: Answer }): Promise<boolean> {
  if (!/^\d{1,15}$/.test(input.itemId)) return false;
  const [item] = await db
    .select({ sourceId: syncRunItems.sourceId, learnerId: syncRunItems.entityId, source: syncRuns.source, runId: syncRuns.id })
    .from(syncRunItems)
    .innerJoin(syncRuns, eq(syncRuns.id, syncRunItems.runId))
    .where(and(eq(syncRunItems.id, Number(input.itemId)), eq(syncRunItems.orgId, input.orgId), eq(syncRunItems.status, "May match")));
  if (!item?.sourceId || !item.learnerId || !isUuid(item.learnerId)) return false;
  await db.transaction(async (tx) => {
    await tx
      .insert(matchDecisions)
      .values({
        orgId: input.orgId,
        source: item.source,
        sourceId: item.sourceId!,
        learnerId: item.learnerId!,
        decision: input.answer,
        decidedBy: input.userId,
      })
      .onConflictDoUpdate({
        target: [matchDecisions.orgId, matchDecisions.source, matchDecisions.sourceId, matchDecisions.learnerId],
        set: { decision: input.answer, decidedBy: input.userId, decidedAt: sql`now()` },
      });
    await recordAudit(tx, {
      orgId: input.orgId,
      actor: "user",
      actorUserId: input.userId,
      runId: item.runId,
      action: input.answer === "accepted" ? "match.accepted" : "match.rejected",
      entity: "learner",
      entityId: item.learnerId!,
    });
  });
  return true;
}

/** How many answers were given since the newest sync that changed the roster started: what applying them would use. */
export async function answersNotYetApplied(db: Db, orgId: string): Promise<number> {
  const newestSync = db
    .select({ at: max(syncRuns.createdAt) })
    .from(syncRuns)
    .where(and(eq(syncRuns.orgId, orgId), eq(syncRuns.dryRun, false)));
  const [row] = await db
    .select({ value: count() })
    .from(matchDecisions)
    .where(and(eq(matchDecisions.orgId, orgId), sql`${matchDecisions.decidedAt} > coalesce((${newestSync}), '-infinity'::timestamptz)`));
  return row?.value ?? 0;
}
