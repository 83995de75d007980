/**
 * Staff sign-in: throttled per account and address and slowed per address (src/auth/throttle.ts),
 * the same answer for a wrong password and an unknown email, and the same time taken for both.
 */
import type { StaffRole } from "../db/schema/index.ts";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { staffUsers } from "../db/schema/index.ts";
import { decoyPasswordHash, verifyPassword } from "./passwords.ts";
import { createSession } from "./sessions.ts";
import { addressKey, clearFailures, pairKey, recordFailure, throttleState } from "./throttle.ts";

export type SignInResult =
  | { ok: true; token: string; userId: string; orgId: string; role: StaffRole }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAt: Date };

export async function signIn(db: Db, attempt: { email: string; password: string; address: string }): Promise<SignInResult> {
  const email = attempt.email.trim().toLowerCase();
  const keys = { pair: pairKey(email, attempt.address), address: addressKey(attempt.address) };
  const state = await throttleState(db, keys);
  if (state.retryAt) return { ok: false, reason: "throttled", retryAt: state.retryAt };
  if (state.pauseMs) await Bun.sleep(state.pauseMs);

  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, email));
  const usable = user?.passwordHash && !user.disabledAt;
  const passwordOk = await verifyPassword(attempt.password, usable ? user.passwordHash! : await decoyPasswordHash());
  if (!usable || !passwordOk) {
    const retryAt = await recordFailure(db, keys);
    return retryAt ? { ok: false, reason: "throttled", retryAt } : { ok: false, reason: "invalid" };
  }
  await clearFailures(db, keys.pair);
  await db.update(staffUsers).set({ lastSignInAt: sql`now()` }).where(eq(staffUsers.id, user.id));
  const token = await createSession(db, user);
  return { ok: true, token, userId: user.id, orgId: user.orgId, role: user.role };
}
