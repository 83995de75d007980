/**
 * Invites: the only way a staff account comes to exist. The emailed link carries a random
 * token; the table keeps its hash. Accepting is one atomic update, so a link works once.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { inviteEmail } from "../../views/emails/invite.tsx";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import type { Db } from "../db/client.ts";
import { invites, organizations, staffUsers, type StaffRole } from "../db/schema/index.ts";
import { enqueueEmail } from "../mail/outbox.ts";
import { hashPassword } from "./passwords.ts";

export const INVITE_DAYS = 7;

export interface NewInvite {
  orgId: string;
  email: string;
  role: StaffRole;
  invitedBy?: string | null;
  /** The operator's support address, said in the email. */
  supportEmail?: string | undefined;
}

/** Creates the invite and queues its email; returns the token (only the email and tests see it). */
export async function createInvite(db: Db, invite: NewInvite, appUrl: string): Promise<{ id: string; token: string }> {
  const token = randomToken();
  const email = invite.email.trim().toLowerCase();
  const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, invite.orgId));
  if (!org) throw new Error("createInvite: no such organization");
  const [row] = await db
    .insert(invites)
    .values({
      orgId: invite.orgId,
      email,
      role: invite.role,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000),
      invitedBy: invite.invitedBy ?? null,
    })
    .returning({ id: invites.id });
  const rendered = inviteEmail({
    orgName: org.name,
    role: invite.role,
    acceptUrl: `${appUrl}/invite/${token}`,
    expiresInDays: INVITE_DAYS,
    supportEmail: invite.supportEmail,
  });
  await enqueueEmail(db, { orgId: invite.orgId, kind: "invite", to: email, ...rendered, idempotencyKey: `invite/${row!.id}` });
  return { id: row!.id, token };
}

export type InviteLookup = { ok: true; email: string; orgName: string; role: StaffRole } | { ok: false; reason: "unknown" | "used" | "expired" };

/** What the invite page shows before the password is chosen. */
export async function findInvite(db: Db, token: string, now: Date = new Date()): Promise<InviteLookup> {
  const [row] = await db
    .select({ email: invites.email, role: invites.role, usedAt: invites.usedAt, expiresAt: invites.expiresAt, orgName: organizations.name })
    .from(invites)
    .innerJoin(organizations, eq(organizations.id, invites.orgId))
    .where(eq(invites.tokenHash, sha256Hex(token)));
  if (!row) return { ok: false, reason: "unknown" };
  if (row.usedAt) return { ok: false, reason: "used" };
  if (row.expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, email: row.email, orgName: row.orgName, role: row.role };
}

export type AcceptResult = { ok: true; userId: string; orgId: string } | { ok: false; reason: "unknown" | "used" | "expired" | "account_exists" };

export async function acceptInvite(db: Db, token: string, account: { name: string; password: string }): Promise<AcceptResult> {
  const lookup = await findInvite(db, token);
  if (!lookup.ok) return lookup;
  const [existing] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, lookup.email));
  if (existing) return { ok: false, reason: "account_exists" };
  const passwordHash = await hashPassword(account.password);
  return db.transaction(async (tx): Promise<AcceptResult> => {
    // The claim is the guard: of two concurrent accepts, only one updates the row.
    const [claimed] = await tx
      .update(invites)
      .set({ usedAt: sql`now()` })
      .where(and(eq(invites.tokenHash, sha256Hex(token)), isNull(invites.usedAt), gt(invites.expiresAt, sql`now()`)))
      .returning({ orgId: invites.orgId, email: invites.email, role: invites.role });
    if (!claimed) return { ok: false, reason: "used" };
    const [user] = await tx
      .insert(staffUsers)
      .values({ orgId: claimed.orgId, email: claimed.email, name: account.name.trim(), role: claimed.role, passwordHash })
      .returning({ id: staffUsers.id });
    return { ok: true, userId: user!.id, orgId: claimed.orgId };
  });
}
