/**
 * Connection details: what reaches a source. What is not secret lives in `details`; secrets
 * (client secrets, tokens) are sealed with ENCRYPTION_KEY and only opened to read the source.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { openSecret, sealSecret } from "../lib/crypto.ts";
import type { Db } from "../db/client.ts";
import { connections, syncSettings } from "../db/schema/index.ts";
import type { Source } from "../roster/sources.ts";
import { recordAudit } from "../db/queries/audit.ts";

export const cleverDetails = z.object({
  source: z.literal("clever"),
  districtId: z.string().regex(/^[0-9a-f]{24}$/i, "a Clever district ID is 24 letters and digits (0-9, a-f)"),
  apiVersion: z.enum(["v3.0", "v3.1"]).optional(),
});
export const oneRosterFileDetails = z.object({
  source: z.literal("oneroster"),
  kind: z.literal("file"),
  path: z.string().min(1),
  fileName: z.string().optional(),
});
/** `auth` absent: OAuth 2, as every connection saved before OAuth 1.0a was offered. */
export const oneRosterRestDetails = z.object({
  source: z.literal("oneroster"),
  kind: z.literal("rest"),
  baseUrl: z.url(),
  auth: z.enum(["oauth2", "oauth1"]).optional(),
  tokenUrl: z.url().optional(),
});
export const wondeDetails = z.object({ source: z.literal("wonde"), schoolId: z.string().min(1) });

export const connectionDetails = z.union([cleverDetails, oneRosterFileDetails, oneRosterRestDetails, wondeDetails]);
export type ConnectionDetails = z.infer<typeof connectionDetails>;

/** Secrets by source: a OneRoster provider's client credentials (Clever's and Wonde's apps are the operator's). */
export type ConnectionSecret = { clientId: string; clientSecret: string } | { token: string };

export interface Connection {
  orgId: string;
  details: ConnectionDetails;
  secret: ConnectionSecret | null;
  cursor: string | null;
}

/** Saves the organization's connection for a source and makes that source the active one. */
export async function saveConnection(
  db: Db,
  input: { orgId: string; details: ConnectionDetails; secret: ConnectionSecret | null; encryptionKey: string; actorUserId?: string | null; actor?: string },
): Promise<void> {
  const details = connectionDetails.parse(input.details);
  const sealed = input.secret ? sealSecret(JSON.stringify(input.secret), input.encryptionKey) : null;
  await db.transaction(async (tx) => {
    await tx
      .insert(connections)
      .values({ orgId: input.orgId, source: details.source, details, secret: sealed })
      .onConflictDoUpdate({
        target: [connections.orgId, connections.source],
        set: { details, secret: sealed, updatedAt: sql`now()`, cursor: null },
      });
    await tx
      .insert(syncSettings)
      .values({ orgId: input.orgId, activeSource: details.source })
      .onConflictDoUpdate({
        target: syncSettings.orgId,
        set: { activeSource: details.source },
      });
    await recordAudit(tx, {
      orgId: input.orgId,
      actor: input.actor ?? (input.actorUserId ? "user" : "operator"),
      actorUserId: input.actorUserId ?? null,
      action: "connection.saved",
      detail: { source: details.source },
    });
  });
}

export async function loadConnection(db: Db, orgId: string, source: Source, encryptionKey: string): Promise<Connection | null> {
  const [row] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.orgId, orgId), eq(connections.source, source)));
  if (!row) return null;
  return {
    orgId,
    details: connectionDetails.parse(row.details),
    secret: row.secret ? (JSON.parse(openSecret(row.secret, encryptionKey)) as ConnectionSecret) : null,
    cursor: row.cursor,
  };
}

export async function saveCursor(db: Db, orgId: string, source: Source, cursor: string | null): Promise<void> {
  await db
    .update(connections)
    .set({ cursor })
    .where(and(eq(connections.orgId, orgId), eq(connections.source, source)));
}
