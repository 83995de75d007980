/** An organization's active connection, as the pages show it. */
import { and, eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { connections, syncSettings } from "../schema/index.ts";

export type ConnectionRow = typeof connections.$inferSelect;

/** The connection the next sync reads, or null when none is set. */
export async function activeConnectionRow(db: Db, orgId: string): Promise<ConnectionRow | null> {
  const [row] = await db
    .select({ connection: connections })
    .from(syncSettings)
    .innerJoin(connections, and(eq(connections.orgId, syncSettings.orgId), eq(connections.source, syncSettings.activeSource)))
    .where(eq(syncSettings.orgId, orgId));
  return row?.connection ?? null;
}
