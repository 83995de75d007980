/**
 * Jobs that run once a UTC day in one process of many (the purge). Every process's scheduler
 * tries; the first to insert the day's row in daily_job_claims runs the job, the others are
 * refused by its primary key. A claim whose process died before finishing is taken over once
 * it is older than STALE_CLAIM_MS; a job that fails is let go at once, for the next try.
 */
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { dailyJobClaims } from "../db/schema/index.ts";

export const STALE_CLAIM_MS = 2 * 60 * 60_000;

const dayOf = (now: Date) => now.toISOString().slice(0, 10);

/** Runs `work` if this process wins today's claim for `job`; null when another process has it. */
export async function runDailyJob<T>(db: Db, input: { job: string; now: Date; owner: string }, work: () => Promise<T>): Promise<{ result: T } | null> {
  const day = dayOf(input.now);
  const stale = new Date(input.now.getTime() - STALE_CLAIM_MS);
  const claimed = await db
    .insert(dailyJobClaims)
    .values({ job: input.job, day, claimedBy: input.owner, claimedAt: input.now })
    .onConflictDoUpdate({
      target: [dailyJobClaims.job, dailyJobClaims.day],
      set: { claimedBy: input.owner, claimedAt: input.now },
      setWhere: and(isNull(dailyJobClaims.finishedAt), lt(dailyJobClaims.claimedAt, stale)),
    })
    .returning({ job: dailyJobClaims.job });
  if (!claimed.length) return null;
  const mine = and(eq(dailyJobClaims.job, input.job), eq(dailyJobClaims.day, day), eq(dailyJobClaims.claimedBy, input.owner));
  try {
    const result = await work();
    await db.update(dailyJobClaims).set({ finishedAt: sql`now()` }).where(mine);
    return { result };
  } catch (error) {
    await db.delete(dailyJobClaims).where(mine);
    throw error;
  }
}
