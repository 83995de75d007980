/** The organization's sync settings, read once per run, in the shapes reconcile and safety take. */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { licences, organizations, syncSettings } from "../../db/schema/index.ts";
import { schoolYearOf } from "../policy/placement.ts";
import type { ReconcileSettings } from "../reconcile/types.ts";
import type { SafetySettings } from "../policy/safety.ts";

export type SyncSettingsRow = typeof syncSettings.$inferSelect;

export interface SyncContext {
  orgId: string;
  orgName: string;
  timeZone: string;
  row: SyncSettingsRow;
  reconcile: ReconcileSettings;
  safety: SafetySettings;
}

export async function loadSyncContext(db: Db, orgId: string, now: Date = new Date()): Promise<SyncContext> {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new Error(`loadSyncContext: no organization ${orgId}`);
  let [row] = await db.select().from(syncSettings).where(eq(syncSettings.orgId, orgId));
  if (!row) [row] = await db.insert(syncSettings).values({ orgId }).returning();
  const licensed = new Set(
    (await db.select({ productId: licences.productId }).from(licences).where(eq(licences.orgId, orgId))).map((licence) => licence.productId),
  );
  const settings = row!;
  return {
    orgId,
    orgName: org.name,
    timeZone: org.timeZone,
    row: settings,
    reconcile: {
      allowRemoval: settings.allowRemoval,
      removalMode: settings.removalMode,
      autoCarryover: settings.autoCarryover,
      allowClassNameOverride: settings.allowClassNameOverride,
      // Only licensed products: a journey the organization no longer has is not given.
      defaultJourneyProductId: settings.defaultJourneyProductId && licensed.has(settings.defaultJourneyProductId) ? settings.defaultJourneyProductId : null,
      mayMatchPolicy: settings.mayMatchPolicy,
      autoAcceptProbability: settings.autoAcceptProbability,
      schoolYear: schoolYearOf(now),
      country: org.country,
      confirmedEmails:
        settings.scope.kind === "selection" ? new Map((settings.scope.confirmedEmails ?? []).map((confirmed) => [confirmed.sourceId, confirmed.email])) : null,
    },
    safety: {
      holdThresholdPercent: settings.holdThresholdPercent,
      holdThresholdMinimum: settings.holdThresholdMinimum,
      mayMatchPolicy: settings.mayMatchPolicy,
    },
  };
}
