/** An organization's sync settings, as the settings pages read and save them. */
import { eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { syncSettings } from "../schema/index.ts";
import { recordAudit } from "./audit.ts";

export type SyncSettingsRow = typeof syncSettings.$inferSelect;

/** The settings row, made with the defaults the first time it is asked for. */
export async function syncSettingsOf(db: Db, orgId: string): Promise<SyncSettingsRow> {
  const [row] = await db.select().from(syncSettings).where(eq(syncSettings.orgId, orgId));
  if (row) return row;
  const [created] = await db.insert(syncSettings).values({ orgId }).onConflictDoNothing().returning();
  return created ?? (await db.select().from(syncSettings).where(eq(syncSettings.orgId, orgId)))[0]!;
}

/** Saves an admin's settings, with the audit entry of what they entered, in one transaction. */
export async function saveSyncSettings(
  db: Db,
  input: { orgId: string; userId: string; settings: Partial<typeof syncSettings.$inferInsert>; audited: object },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(syncSettings)
      .set({ ...input.settings, updatedAt: new Date(), updatedBy: input.userId })
      .where(eq(syncSettings.orgId, input.orgId));
    await recordAudit(tx, { orgId: input.orgId, actor: "user", actorUserId: input.userId, action: "settings.sync_saved", detail: input.audited });
  });
}
