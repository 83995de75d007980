/**
 * Pupils' sign-in, for products whose learners sign in (issue 20, point 4). An address the
 * school confirmed gets a verification email with a single-use link that expires; the token is
 * stored only as its SHA-256. Opening the link lets the pupil choose a password; the address
 * is then verified, and a verified address is never removed or replaced by a sync (safety
 * rule 4). Resending waits a while after the last email, so a page cannot flood a child's inbox.
 */
import { and, desc, eq, gt, isNotNull, isNull, ne } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { emailVerifications, learnerAccounts, learnerSessions, learners, organizations, sourceLinks } from "../db/schema/index.ts";
import { recordAudit } from "../db/queries/audit.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { enqueueEmail } from "../mail/outbox.ts";
import { verifyEmail } from "../../views/emails/verify.tsx";
import { decoyPasswordHash, hashPassword, verifyPassword } from "./passwords.ts";
import { addressKey, clearFailures, pairKey, recordFailure, throttleState } from "./throttle.ts";

export const VERIFICATION_DAYS = 7;
/** The shortest wait between two verification emails to one pupil. */
export const RESEND_WAIT_MS = 10 * 60_000;
const LEARNER_SESSION_HOURS = 12;

/** Sends a verification email for this learner's confirmed address; earlier links stop working. */
export async function sendVerification(
  db: Db,
  input: { orgId: string; learnerId: string; email: string; appUrl: string; actorUserId?: string; supportEmail?: string | undefined; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const token = randomToken();
  const [row] = await db
    .select({ givenName: learners.givenName, orgName: organizations.name })
    .from(learners)
    .innerJoin(organizations, eq(organizations.id, learners.orgId))
    .where(and(eq(learners.orgId, input.orgId), eq(learners.id, input.learnerId)));
  if (!row) throw new Error("sendVerification: no such learner");
  await db.transaction(async (tx) => {
    // One working link at a time: a resend makes the earlier ones expire now.
    await tx
      .update(emailVerifications)
      .set({ expiresAt: now })
      .where(and(eq(emailVerifications.learnerId, input.learnerId), isNull(emailVerifications.verifiedAt), gt(emailVerifications.expiresAt, now)));
    const [verification] = await tx
      .insert(emailVerifications)
      .values({
        orgId: input.orgId,
        learnerId: input.learnerId,
        email: input.email,
        tokenHash: sha256Hex(token),
        expiresAt: new Date(now.getTime() + VERIFICATION_DAYS * 86_400_000),
        createdAt: now,
      })
      .returning({ id: emailVerifications.id });
    const rendered = verifyEmail({
      givenName: row.givenName,
      orgName: row.orgName,
      link: `${input.appUrl}/verify/${token}`,
      expiresInDays: VERIFICATION_DAYS,
      supportEmail: input.supportEmail,
    });
    await enqueueEmail(tx, { orgId: input.orgId, kind: "verify", to: input.email, ...rendered, idempotencyKey: `verify/${verification!.id}` });
    await recordAudit(tx, {
      orgId: input.orgId,
      actor: "user",
      actorUserId: input.actorUserId ?? null,
      action: "learner.verification_sent",
      entity: "learner",
      entityId: input.learnerId,
    });
  });
}

/** How long until this learner may be sent another verification email (0: now). */
export async function resendWait(db: Db, learnerId: string, now: Date = new Date()): Promise<number> {
  const [last] = await db
    .select({ at: emailVerifications.createdAt })
    .from(emailVerifications)
    .where(eq(emailVerifications.learnerId, learnerId))
    .orderBy(desc(emailVerifications.createdAt))
    .limit(1);
  return last ? Math.max(0, last.at.getTime() + RESEND_WAIT_MS - now.getTime()) : 0;
}

export type VerificationLookup =
  | { ok: true; id: string; orgId: string; learnerId: string; email: string; givenName: string }
  | { ok: false; reason: "unknown" | "used" | "expired" };

export async function findVerification(db: Db, token: string, now: Date = new Date()): Promise<VerificationLookup> {
  const [row] = await db
    .select({
      id: emailVerifications.id,
      orgId: emailVerifications.orgId,
      learnerId: emailVerifications.learnerId,
      email: emailVerifications.email,
      verifiedAt: emailVerifications.verifiedAt,
      expiresAt: emailVerifications.expiresAt,
      givenName: learners.givenName,
    })
    .from(emailVerifications)
    .innerJoin(learners, eq(learners.id, emailVerifications.learnerId))
    .where(eq(emailVerifications.tokenHash, sha256Hex(token)));
  if (!row) return { ok: false, reason: "unknown" };
  if (row.verifiedAt) return { ok: false, reason: "used" };
  if (row.expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, id: row.id, orgId: row.orgId, learnerId: row.learnerId, email: row.email, givenName: row.givenName };
}

/**
 * Uses the link: the password is set, the address verified and written on the learner (an
 * address the school confirmed though a sync would not write it, being off the school's
 * domain). It works once; an address another pupil has already verified is refused, so one
 * address signs in one child.
 */
export async function completeVerification(db: Db, token: string, password: string, now: Date = new Date()): Promise<"verified" | "unusable" | "taken"> {
  const found = await findVerification(db, token, now);
  if (!found.ok) return "unusable";
  const [other] = await db
    .select({ id: learners.id })
    .from(learners)
    .where(and(eq(learners.email, found.email), isNotNull(learners.emailVerifiedAt), ne(learners.id, found.learnerId)))
    .limit(1);
  if (other) return "taken";
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const used = await tx
      .update(emailVerifications)
      .set({ verifiedAt: now })
      .where(and(eq(emailVerifications.id, found.id), isNull(emailVerifications.verifiedAt)))
      .returning({ id: emailVerifications.id });
    if (!used.length) return "unusable";
    await tx.update(learners).set({ email: found.email, emailVerifiedAt: now, updatedAt: now }).where(eq(learners.id, found.learnerId));
    await tx
      .insert(learnerAccounts)
      .values({ learnerId: found.learnerId, orgId: found.orgId, passwordHash })
      .onConflictDoUpdate({ target: learnerAccounts.learnerId, set: { passwordHash } });
    await recordAudit(tx, { orgId: found.orgId, actor: "learner", action: "learner.email_verified", entity: "learner", entityId: found.learnerId });
    return "verified";
  });
}

export type LearnerSignIn = { ok: true; token: string } | { ok: false; retryAt?: Date };

/**
 * A pupil's sign-in: their verified address and password; the same answer, and time taken,
 * for every wrong one, throttled as staff sign-ins are (src/auth/throttle.ts), on keys of its own.
 */
export async function signInLearner(db: Db, attempt: { email: string; password: string; address: string }, now: Date = new Date()): Promise<LearnerSignIn> {
  const email = attempt.email.trim().toLowerCase();
  const keys = { pair: pairKey(`learner:${email}`, attempt.address), address: addressKey(`learner:${attempt.address}`) };
  const state = await throttleState(db, keys, now);
  if (state.retryAt) return { ok: false, retryAt: state.retryAt };
  if (state.pauseMs) await Bun.sleep(state.pauseMs);
  const [row] = await db
    .select({ learnerId: learners.id, orgId: learners.orgId, passwordHash: learnerAccounts.passwordHash })
    .from(learners)
    .innerJoin(learnerAccounts, eq(learnerAccounts.learnerId, learners.id))
    .where(and(eq(learners.email, email), eq(learners.status, "active"), isNotNull(learners.emailVerifiedAt)))
    .limit(1);
  const matches = await verifyPassword(attempt.password, row?.passwordHash ?? (await decoyPasswordHash()));
  if (!row || !matches) {
    const retryAt = await recordFailure(db, keys);
    return retryAt ? { ok: false, retryAt } : { ok: false };
  }
  await clearFailures(db, keys.pair);
  const token = randomToken();
  await db.insert(learnerSessions).values({
    tokenHash: sha256Hex(token),
    learnerId: row.learnerId,
    orgId: row.orgId,
    expiresAt: new Date(now.getTime() + LEARNER_SESSION_HOURS * 3_600_000),
  });
  return { ok: true, token };
}

/** The signed-in pupil, by their session cookie's token. */
export async function loadLearnerSession(db: Db, token: string, now: Date = new Date()) {
  const [row] = await db
    .select({ learnerId: learners.id, givenName: learners.givenName, familyName: learners.familyName, orgName: organizations.name })
    .from(learnerSessions)
    .innerJoin(learners, eq(learners.id, learnerSessions.learnerId))
    .innerJoin(organizations, eq(organizations.id, learnerSessions.orgId))
    .where(and(eq(learnerSessions.tokenHash, sha256Hex(token)), gt(learnerSessions.expiresAt, now), eq(learners.status, "active")));
  return row ?? null;
}

export async function endLearnerSession(db: Db, token: string): Promise<void> {
  await db.delete(learnerSessions).where(eq(learnerSessions.tokenHash, sha256Hex(token)));
}

/**
 * After the MIS user sync: a verification email to each pupil whose address the admin has just
 * confirmed, unless they are verified already or this address was sent one before. Returns how
 * many were sent.
 */
export async function sendConfirmedVerifications(
  db: Db,
  input: {
    orgId: string;
    source: string;
    confirmed: readonly { sourceId: string; email: string }[];
    appUrl: string;
    actorUserId: string;
    supportEmail?: string | undefined;
  },
): Promise<number> {
  let sent = 0;
  for (const { sourceId, email } of input.confirmed) {
    const [learner] = await db
      .select({ id: learners.id, verifiedAt: learners.emailVerifiedAt })
      .from(sourceLinks)
      .innerJoin(learners, eq(learners.id, sourceLinks.entityId))
      .where(
        and(eq(sourceLinks.orgId, input.orgId), eq(sourceLinks.source, input.source), eq(sourceLinks.entity, "learner"), eq(sourceLinks.sourceId, sourceId)),
      );
    if (!learner || learner.verifiedAt) continue;
    const [before] = await db
      .select({ id: emailVerifications.id })
      .from(emailVerifications)
      .where(and(eq(emailVerifications.learnerId, learner.id), eq(emailVerifications.email, email)))
      .limit(1);
    if (before) continue;
    await sendVerification(db, {
      orgId: input.orgId,
      learnerId: learner.id,
      email,
      appUrl: input.appUrl,
      actorUserId: input.actorUserId,
      supportEmail: input.supportEmail,
    });
    sent++;
  }
  return sent;
}

/** The address this learner was last asked to confirm and has not yet: what "send it again" sends. */
export async function pendingVerificationEmail(db: Db, orgId: string, learnerId: string): Promise<string | null> {
  const [row] = await db
    .select({ email: emailVerifications.email, verifiedAt: learners.emailVerifiedAt })
    .from(emailVerifications)
    .innerJoin(learners, eq(learners.id, emailVerifications.learnerId))
    .where(and(eq(emailVerifications.orgId, orgId), eq(emailVerifications.learnerId, learnerId), isNull(emailVerifications.verifiedAt)))
    .orderBy(desc(emailVerifications.createdAt))
    .limit(1);
  return row && !row.verifiedAt ? row.email : null;
}
