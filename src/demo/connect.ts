/**
 * Embedded mode: the demo organization reads the demo district served by this same process,
 * so a new user can connect, sync, review and undo without a Clever contract. Clever's address
 * and the app's credentials are the operator's (demoCleverApp, set by main.ts at every start, as
 * the port may change); the admin enters only the district ID, as with real Clever.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { GRADE_CODES } from "../roster/snapshot.ts";
import { syncSettings } from "../db/schema/index.ts";
import type { CleverApp } from "../sources/clever/index.ts";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "./district.ts";

export const DEMO_MOUNT = "/demo/clever";

/** The Clever app of embedded mode: the demo district served at `baseUrl` by this process. */
export const demoCleverApp = (baseUrl: string): CleverApp => ({
  clientId: DEMO_CLIENT_ID,
  clientSecret: DEMO_CLIENT_SECRET,
  apiUrl: `${baseUrl}${DEMO_MOUNT}`,
  oauthUrl: `${baseUrl}${DEMO_MOUNT}`,
});

/**
 * The demo district starts unconnected, as a new customer does: its admin connects it on Roster
 * Sync Settings with the demo district ID that `npm start` prints. It runs from pre-kindergarten
 * to grade 8, so a fresh one syncs all of it rather than Clever's early-years default.
 */
export async function prepareDemoDistrict(db: Db, orgId: string): Promise<void> {
  await db
    .update(syncSettings)
    .set({ scope: { kind: "grades", grades: [...GRADE_CODES] } })
    .where(and(eq(syncSettings.orgId, orgId), isNull(syncSettings.activeSource)));
}
