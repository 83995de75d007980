/**
 * Database-backed sessions. The cookie carries a random token; the table keeps its SHA-256,
 * so a leaked database does not hand out live sessions. Sessions slide: each use pushes the
 * expiry out by IDLE_HOURS, but never past ABSOLUTE_DAYS after sign-in.
 */
import { and, eq, gt } from "drizzle-orm";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import type { Db } from "../db/client.ts";
import { organizations, sessions, staffUsers, type StaffRole } from "../db/schema/index.ts";

const IDLE_HOURS = 12;
const ABSOLUTE_DAYS = 14;
const TOUCH_EVERY_MS = 5 * 60_000;

export interface SessionUser {
  userId: string;
  orgId: string;
  orgName: string;
  orgCountry: string;
  orgTimeZone: string;
  orgIsDemo: boolean;
  email: string;
  name: string;
  role: StaffRole;
  tokenHash: string;
}

export async function createSession(db: Db, user: { id: string; orgId: string }): Promise<string> {
  const token = randomToken();
  await db.insert(sessions).values({
    tokenHash: sha256Hex(token),
    userId: user.id,
    orgId: user.orgId,
    expiresAt: new Date(Date.now() + IDLE_HOURS * 3_600_000),
  });
  return token;
}

export async function loadSession(db: Db, token: string, now: Date = new Date()): Promise<SessionUser | null> {
  const tokenHash = sha256Hex(token);
  const [row] = await db
    .select({
      userId: staffUsers.id,
      orgId: organizations.id,
      orgName: organizations.name,
      orgCountry: organizations.country,
      orgTimeZone: organizations.timeZone,
      orgIsDemo: organizations.isDemo,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
      disabledAt: staffUsers.disabledAt,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(staffUsers, eq(staffUsers.id, sessions.userId))
    .innerJoin(organizations, eq(organizations.id, sessions.orgId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
  if (!row || row.disabledAt) return null;
  if (now.getTime() - row.createdAt.getTime() > ABSOLUTE_DAYS * 86_400_000) {
    await endSession(db, token);
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + IDLE_HOURS * 3_600_000) })
      .where(eq(sessions.tokenHash, tokenHash));
  }
  const { disabledAt: _disabled, createdAt: _created, lastSeenAt: _seen, ...user } = row;
  return { ...user, tokenHash };
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(token)));
}
