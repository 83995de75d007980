/** The roster sync settings page: read by everyone signed in, saved by admins, every change audited. */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { SyncSettingsPage, type SyncSettingsValues } from "../../views/settings/sync.tsx";
import { syncSettings } from "../db/schema/index.ts";
import { licensedProducts } from "../orgs/organizations.ts";
import { GRADE_CODES } from "../roster/snapshot.ts";
import { validateSchedule } from "../schedule/slots.ts";
import { type AppContext, type AppEnv, currentUser, renderPage } from "./context.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";
import type { FieldErrors } from "../../views/components/field-errors.ts";
import { fieldErrors } from "./validate.ts";
import { recordAudit } from "../db/queries/audit.ts";

export const settingsRoutes = new Hono<AppEnv>();
settingsRoutes.use("/settings/sync", requireUser);

const whole = (min: number, max: number, what: string) =>
  z.coerce
    .number({ error: `Enter ${what}.` })
    .int(`Enter ${what} as a whole number.`)
    .min(min, `Enter ${what} from ${min} to ${max}.`)
    .max(max, `Enter ${what} from ${min} to ${max}.`);
const checkbox = z.preprocess((value) => value === "on", z.boolean());

const form = z.object({
  scheduleEnabled: checkbox,
  frequency: z.enum(["daily", "weekly", "monthly"], { error: "Choose daily, weekly or monthly." }),
  weekday: whole(0, 6, "a day of the week"),
  monthDay: whole(1, 28, "a day of the month"),
  timeOfDay: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Enter the time as HH:MM, for example 23:30."),
  allowRemoval: checkbox,
  removalMode: z.enum(["deactivate", "remove"]),
  retentionDays: whole(30, 730, "a retention period"),
  sendSyncEmails: checkbox,
  autoCarryover: checkbox,
  allowClassNameOverride: checkbox,
  defaultJourneyProductId: z.string().transform((value) => value || null),
  holdThresholdPercent: whole(1, 100, "a percentage"),
  holdThresholdMinimum: whole(1, 100_000, "a number of records"),
  mayMatchPolicy: z.enum(["hold", "auto_accept"]),
  grades: z.array(z.enum(GRADE_CODES)).optional(),
});

async function loadValues(c: AppContext): Promise<{ values: SyncSettingsValues; selectionScope: boolean }> {
  const db = c.get("deps").database.db;
  const orgId = currentUser(c).orgId;
  let [row] = await db.select().from(syncSettings).where(eq(syncSettings.orgId, orgId));
  if (!row) [row] = await db.insert(syncSettings).values({ orgId }).returning();
  const settings = row!;
  return {
    selectionScope: settings.scope.kind === "selection",
    values: { ...settings, grades: settings.scope.kind === "grades" ? settings.scope.grades : null },
  };
}

async function page(c: AppContext, overrides: { values?: SyncSettingsValues; errors?: FieldErrors; saved?: boolean; status?: number } = {}) {
  const user = currentUser(c);
  const loaded = await loadValues(c);
  const products = await licensedProducts(c.get("deps").database.db, user.orgId);
  return renderPage(
    c,
    { title: "Roster sync settings", current: "settings", status: overrides.status },
    <SyncSettingsPage
      values={overrides.values ?? loaded.values}
      products={products}
      timeZone={user.orgTimeZone}
      offPeak={c.get("deps").config.offPeak}
      canEdit={user.role === "org_admin"}
      errors={overrides.errors}
      saved={overrides.saved}
      selectionScope={loaded.selectionScope}
    />,
  );
}

settingsRoutes.get("/settings/sync", (c) => page(c));

settingsRoutes.post("/settings/sync", requireAdmin, async (c) => {
  const user = currentUser(c);
  const { database, config } = c.get("deps");
  const body = await c.req.parseBody({ all: true });
  const raw = { ...body, grades: body.grades === undefined ? undefined : [body.grades].flat() };
  const parsed = form.safeParse(raw);
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error.issues);
  const loaded = await loadValues(c);
  // Checks beyond the shape of each field, all reported at once.
  const licensed = new Set((await licensedProducts(database.db, user.orgId)).map((product) => product.id));
  const journey = typeof body.defaultJourneyProductId === "string" ? body.defaultJourneyProductId : "";
  if (journey && !licensed.has(journey)) errors.defaultJourneyProductId ??= "Your organization has no licence for that product.";
  if (!loaded.selectionScope && !raw.grades?.length) errors.grades ??= "Choose at least one grade to sync.";
  if (parsed.success) {
    const scheduleProblem = validateSchedule(parsed.data, config.offPeak);
    if (scheduleProblem) errors[parsed.data.frequency === "monthly" && !/HH:MM/.test(scheduleProblem) ? "monthDay" : "timeOfDay"] = scheduleProblem;
  }
  if (!parsed.success || Object.keys(errors).length) {
    // Show what was entered, not what is stored, so nothing typed is lost.
    const entered = { ...loaded.values, ...(raw as object), grades: (raw.grades as string[] | undefined) ?? [] } as unknown as SyncSettingsValues;
    for (const flag of ["scheduleEnabled", "allowRemoval", "sendSyncEmails", "autoCarryover", "allowClassNameOverride"] as const)
      entered[flag] = body[flag] === "on";
    entered.weekday = Number(body.weekday);
    entered.monthDay = Number(body.monthDay);
    return page(c, { values: entered, errors, status: 422 });
  }
  const { grades, ...settings } = parsed.data;
  await database.db.transaction(async (tx) => {
    await tx
      .update(syncSettings)
      .set({
        ...settings,
        ...(loaded.selectionScope ? {} : { scope: { kind: "grades" as const, grades: grades ?? [] } }),
        updatedAt: new Date(),
        updatedBy: user.userId,
      })
      .where(eq(syncSettings.orgId, user.orgId));
    await recordAudit(tx, { orgId: user.orgId, actor: "user", actorUserId: user.userId, action: "settings.sync_saved", detail: parsed.data });
  });
  return page(c, { saved: true });
});
