/**
 * Embedded mode's UK demo: Oakfield Academy, connected to the demo Wonde by its school ID, with
 * last academic year (2025/26) already synced, so the admin's first sync meets the new year as
 * a school does in September: promotion, leavers and joiners (uk-mis.md 3).
 */
import { eq } from "drizzle-orm";
import { saveConnection } from "../../connections/details.ts";
import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { syncSettings } from "../../db/schema/index.ts";
import type { Logger } from "../../lib/log.ts";
import { GRADE_CODES } from "../../roster/snapshot.ts";
import type { WondeApp } from "../../sources/wonde/app.ts";
import { createSyncDeps } from "../../sync/run/deps.ts";
import { syncOrganization } from "../../sync/run/lifecycle.ts";
import { UK_DEMO_SCHOOL } from "./school.ts";
import { UK_DEMO_APP_TOKEN, UK_DEMO_CURRENT_YEAR, ukDemoApiUrl } from "./wonde.ts";

/** The Wonde app of embedded mode: the demo school's current year, served at `baseUrl` by this process. */
export const demoWondeApp = (baseUrl: string, year = UK_DEMO_CURRENT_YEAR): WondeApp => ({ token: UK_DEMO_APP_TOKEN, apiUrl: ukDemoApiUrl(baseUrl, year) });

export async function seedUkDemoSchool(input: { database: Database; config: Config; logger: Logger; orgId: string; baseUrl: string }): Promise<void> {
  const { database, config, orgId, baseUrl } = input;
  const db = database.db;
  await saveConnection(db, {
    orgId,
    details: { source: "wonde", schoolId: UK_DEMO_SCHOOL.id },
    secret: null,
    encryptionKey: config.encryptionKey,
    actor: "system",
  });
  // A UK school syncs every year group (the MIS user sync narrows it), never the US early-years default.
  await db
    .update(syncSettings)
    .set({ scope: { kind: "grades", grades: [...GRADE_CODES] } })
    .where(eq(syncSettings.orgId, orgId));
  // Last year, read once from last year's Wonde: what the school had before the summer.
  const lastYear = { ...config, vendors: { ...config.vendors, wonde: demoWondeApp(baseUrl, (UK_DEMO_CURRENT_YEAR - 1) as typeof UK_DEMO_CURRENT_YEAR) } };
  const outcome = await syncOrganization(createSyncDeps({ database, config: lastYear, logger: input.logger, appUrl: baseUrl }), { orgId, trigger: "cli" });
  if (outcome.status !== "succeeded") input.logger.warn("demo.uk_seed_failed", { status: outcome.status });
}
