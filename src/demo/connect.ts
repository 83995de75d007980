/**
 * Embedded mode: the demo organization reads the demo district served by this same process,
 * so a new user can sync, review and undo without a Clever contract. Clever's address and the
 * app's credentials are the operator's (demoCleverApp, set by main.ts at every start, as the
 * port may change); the connection holds only the district ID, and one the user changed is left alone.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { GRADE_CODES } from "../roster/snapshot.ts";
import { syncSettings } from "../db/schema/index.ts";
import { loadConnection, saveConnection } from "../connections/details.ts";
import type { CleverApp } from "../sources/clever/index.ts";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_DISTRICT_ID } from "./district.ts";

export const DEMO_MOUNT = "/demo/clever";

/** The Clever app of embedded mode: the demo district served at `baseUrl` by this process. */
export const demoCleverApp = (baseUrl: string): CleverApp => ({
  clientId: DEMO_CLIENT_ID,
  clientSecret: DEMO_CLIENT_SECRET,
  apiUrl: `${baseUrl}${DEMO_MOUNT}`,
  oauthUrl: `${baseUrl}${DEMO_MOUNT}`,
});

export async function connectDemoOrganization(db: Db, input: { orgId: string; encryptionKey: string }): Promise<void> {
  const current = await loadConnection(db, input.orgId, "clever", input.encryptionKey);
  const [settings] = await db.select({ activeSource: syncSettings.activeSource }).from(syncSettings).where(eq(syncSettings.orgId, input.orgId));
  const fresh = !current && !settings?.activeSource;
  const isDemo = current?.details.source === "clever" && current.details.districtId === DEMO_DISTRICT_ID;
  if (!fresh && !isDemo) return;
  if (isDemo) return;
  await saveConnection(db, {
    orgId: input.orgId,
    details: { source: "clever", districtId: DEMO_DISTRICT_ID },
    secret: null,
    encryptionKey: input.encryptionKey,
    actor: "system",
  });
  // The demo district runs from pre-kindergarten to grade 8: sync all of it.
  if (fresh)
    await db
      .update(syncSettings)
      .set({ scope: { kind: "grades", grades: [...GRADE_CODES] } })
      .where(eq(syncSettings.orgId, input.orgId));
}
