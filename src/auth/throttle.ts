/**
 * Throttling of failed sign-ins, kept in the database so it holds across processes and
 * restarts. Two rules, neither of which can lock an account's owner out:
 *
 * - per account and address: the first FREE_FAILURES wrong passwords for an account from one
 *   network address cost nothing; each further one makes that account wait from that address
 *   (5 s, then 10, 20, ... up to 15 minutes). Other addresses are not affected, so an attack
 *   from elsewhere never stops the owner, and the right password clears the count.
 * - per address, across accounts: after SLOW_AFTER wrong passwords from one address within an
 *   hour, every sign-in from it is answered only after a pause (1 s, growing to 10 s), so
 *   guessing from it slows down while colleagues behind the same school address still sign in.
 *
 * Keys: "pair:<sha256 of email>:<address>" and "address:<address>"; `lockedUntil` is the time
 * a pair may try again.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { sha256Hex } from "../lib/crypto.ts";
import type { Db } from "../db/client.ts";
import { signInFailures } from "../db/schema/index.ts";

export const PAIR_RULE = { freeFailures: 3, firstWaitSeconds: 5, maxWaitSeconds: 15 * 60, windowHours: 24 } as const;
export const ADDRESS_RULE = { slowAfter: 100, windowHours: 1, pauseSecondsPer: 10, maxPauseSeconds: 10 } as const;

export function pairKey(email: string, address: string): string {
  return `pair:${sha256Hex(email.trim().toLowerCase())}:${address}`;
}

/** A LIKE pattern for every pair key of one account, whatever the address (for erasure). */
export function pairKeysOf(email: string): string {
  return `pair:${sha256Hex(email.trim().toLowerCase())}:%`;
}

export function addressKey(address: string): string {
  return `address:${address}`;
}

export interface ThrottleState {
  /** The pair may not try before this (null: it may try now). */
  retryAt: Date | null;
  /** How long to hold this attempt because its address is slowed (0: not slowed). */
  pauseMs: number;
}

export async function throttleState(db: Db, keys: { pair: string; address: string }, now: Date = new Date()): Promise<ThrottleState> {
  const rows = await db
    .select()
    .from(signInFailures)
    .where(inArray(signInFailures.key, [keys.pair, keys.address]));
  const pair = rows.find((row) => row.key === keys.pair);
  const address = rows.find((row) => row.key === keys.address);
  const retryAt = pair?.lockedUntil && pair.lockedUntil > now ? pair.lockedUntil : null;
  const recent = address && now.getTime() - address.firstFailureAt.getTime() < ADDRESS_RULE.windowHours * 3_600_000 ? address.failures : 0;
  return { retryAt, pauseMs: addressPauseMs(recent) };
}

/** 0 below the threshold; then one more second for every `pauseSecondsPer` failures, up to the most. */
export function addressPauseMs(failures: number): number {
  if (failures < ADDRESS_RULE.slowAfter) return 0;
  const seconds = Math.min(ADDRESS_RULE.maxPauseSeconds, 1 + Math.floor((failures - ADDRESS_RULE.slowAfter) / ADDRESS_RULE.pauseSecondsPer));
  return seconds * 1000;
}

/** Counts a wrong password for the pair and its address; returns when the pair may try again (null: at once). */
export async function recordFailure(db: Db, keys: { pair: string; address: string }): Promise<Date | null> {
  await upsertFailure(db, keys.address, ADDRESS_RULE.windowHours, sql`null`);
  const failures = countAfterThis(PAIR_RULE.windowHours);
  // The rule's numbers are constants, written into the statement as such.
  const [most, first, free] = [PAIR_RULE.maxWaitSeconds, PAIR_RULE.firstWaitSeconds, PAIR_RULE.freeFailures].map((value) => sql.raw(String(value)));
  const waitSeconds = sql`least(${most}, ${first} * power(2, ${failures} - ${free} - 1))`;
  const until = sql`case when ${failures} > ${free} then now() + make_interval(secs => ${waitSeconds}) else null end`;
  const [row] = await upsertFailure(db, keys.pair, PAIR_RULE.windowHours, until);
  return row?.lockedUntil ?? null;
}

/** The stored count once this failure is added: restarted when the window since the first failure has passed. */
function countAfterThis(windowHours: number) {
  return sql`(case when ${signInFailures.firstFailureAt} < ${windowStart(windowHours)} then 1 else ${signInFailures.failures} + 1 end)`;
}

const windowStart = (hours: number) => sql`now() - make_interval(hours => ${sql.raw(String(hours))})`;

function upsertFailure(db: Db, key: string, windowHours: number, lockedUntil: ReturnType<typeof sql>) {
  return db
    .insert(signInFailures)
    .values({ key, failures: 1, lockedUntil: null })
    .onConflictDoUpdate({
      target: signInFailures.key,
      set: {
        failures: countAfterThis(windowHours),
        firstFailureAt: sql`case when ${signInFailures.firstFailureAt} < ${windowStart(windowHours)} then now() else ${signInFailures.firstFailureAt} end`,
        lockedUntil,
      },
    })
    .returning({ lockedUntil: signInFailures.lockedUntil });
}

/** The right password clears the pair's count; the address's count stays (an attacker's own account must not reset it). */
export async function clearFailures(db: Db, pair: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.key, pair));
}
