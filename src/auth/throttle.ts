/**
 * Throttling of failed sign-ins, per account and per network address, kept in the database
 * so it holds across processes and restarts. After `limit` failures within the window the key
 * is locked, and each further failure doubles the lock, up to a day.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { sha256Hex } from "../crypto.ts";
import type { Db } from "../db/client.ts";
import { signInFailures } from "../db/schema/index.ts";

interface Rule {
  limit: number;
  windowMinutes: number;
  lockMinutes: number;
}

export const ACCOUNT_RULE: Rule = { limit: 5, windowMinutes: 60, lockMinutes: 15 };
export const ADDRESS_RULE: Rule = { limit: 30, windowMinutes: 60, lockMinutes: 15 };
const MAX_LOCK_MINUTES = 24 * 60;

export function accountKey(email: string): string {
  return `account:${sha256Hex(email.trim().toLowerCase())}`;
}

export function addressKey(address: string): string {
  return `address:${address}`;
}

/** The latest lock among the keys, or null when none is locked now. */
export async function lockedUntil(db: Db, keys: string[], now: Date = new Date()): Promise<Date | null> {
  const rows = await db.select().from(signInFailures).where(inArray(signInFailures.key, keys));
  const locks = rows.map((row) => row.lockedUntil).filter((until): until is Date => until !== null && until > now);
  return locks.length ? new Date(Math.max(...locks.map((until) => until.getTime()))) : null;
}

export async function recordFailure(db: Db, key: string, rule: Rule): Promise<void> {
  const windowStart = sql`now() - make_interval(mins => ${rule.windowMinutes})`;
  const failures = sql`case when ${signInFailures.firstFailureAt} < ${windowStart} then 1 else ${signInFailures.failures} + 1 end`;
  const lockMinutes = sql`least(${MAX_LOCK_MINUTES}, ${rule.lockMinutes} * power(2, greatest(0, ${failures} - ${rule.limit})))`;
  await db
    .insert(signInFailures)
    .values({ key, failures: 1, lockedUntil: rule.limit <= 1 ? new Date(Date.now() + rule.lockMinutes * 60_000) : null })
    .onConflictDoUpdate({
      target: signInFailures.key,
      set: {
        failures,
        firstFailureAt: sql`case when ${signInFailures.firstFailureAt} < ${windowStart} then now() else ${signInFailures.firstFailureAt} end`,
        lockedUntil: sql`case when ${failures} >= ${rule.limit} then now() + make_interval(mins => (${lockMinutes})::int) else null end`,
      },
    });
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.key, key));
}
