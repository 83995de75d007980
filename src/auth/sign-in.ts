/**
 * Staff sign-in: throttled per account and per address, the same answer for a wrong password
 * and an unknown email, and the same time taken for both.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { staffUsers } from "../db/schema/index.ts";
import { decoyPasswordHash, verifyPassword } from "./passwords.ts";
import { createSession } from "./sessions.ts";
import { ACCOUNT_RULE, ADDRESS_RULE, accountKey, addressKey, clearFailures, lockedUntil, recordFailure } from "./throttle.ts";

export type SignInResult =
  | { ok: true; token: string; userId: string; orgId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAt: Date };

export async function signIn(db: Db, attempt: { email: string; password: string; address: string }): Promise<SignInResult> {
  const email = attempt.email.trim().toLowerCase();
  const keys = { account: accountKey(email), address: addressKey(attempt.address) };
  const locked = await lockedUntil(db, [keys.account, keys.address]);
  if (locked) return { ok: false, reason: "throttled", retryAt: locked };

  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, email));
  const usable = user && user.passwordHash && !user.disabledAt;
  const passwordOk = await verifyPassword(attempt.password, usable ? user.passwordHash! : await decoyPasswordHash());
  if (!usable || !passwordOk) {
    await recordFailure(db, keys.account, ACCOUNT_RULE);
    await recordFailure(db, keys.address, ADDRESS_RULE);
    const lockedNow = await lockedUntil(db, [keys.account, keys.address]);
    return lockedNow ? { ok: false, reason: "throttled", retryAt: lockedNow } : { ok: false, reason: "invalid" };
  }
  await clearFailures(db, keys.account);
  await db.update(staffUsers).set({ lastSignInAt: sql`now()` }).where(eq(staffUsers.id, user.id));
  const token = await createSession(db, user);
  return { ok: true, token, userId: user.id, orgId: user.orgId };
}
