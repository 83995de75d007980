/** The roster sync settings page: read by everyone signed in, saved by admins, every change audited. */
import { Hono } from "hono";
import { z } from "zod";
import { SyncSettingsPage, type SyncSettingsValues } from "../../views/settings/sync.tsx";
import { saveSyncSettings, syncSettingsOf } from "../db/queries/settings.ts";
import { licensedProducts } from "../orgs/organizations.ts";
import { GRADE_CODES } from "../roster/snapshot.ts";
import { validateSchedule } from "../schedule/slots.ts";
import { type AppContext, type AppEnv, currentUser, renderPage } from "./context.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";
import { connectionRoutes } from "./connection.tsx";
import { dataRoutes } from "./lifecycle.tsx";
import { SettingsIndexPage } from "../../views/settings-index.tsx";
import type { FieldErrors } from "../../views/components/forms.tsx";
import { type FormInput, type FormProblem, sentInput, validated } from "./validate.ts";

/** Mounted at /settings: the settings pages, read by staff who are signed in and changed only by admins. */
export const settingsRoutes = new Hono<AppEnv>();
settingsRoutes.use(requireUser);
settingsRoutes.on("POST", "*", requireAdmin);
settingsRoutes.get("/", (c) => renderPage(c, { title: "Settings", current: "settings" }, <SettingsIndexPage />));
settingsRoutes.route("/connection", connectionRoutes);
settingsRoutes.route("/data", dataRoutes);

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
  // One ticked grade arrives as a string, several as a list.
  grades: z.preprocess((value) => (value === undefined ? undefined : [value].flat()), z.array(z.enum(GRADE_CODES)).optional()),
});

async function loadValues(c: AppContext): Promise<{ values: SyncSettingsValues; selectionScope: boolean }> {
  const settings = await syncSettingsOf(c.get("deps").database.db, currentUser(c).orgId);
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

settingsRoutes.get("/sync", (c) => page(c));

/** What the admin entered, over what is stored, so a page sent back loses nothing typed. */
function enteredValues(stored: SyncSettingsValues, input: FormInput): SyncSettingsValues {
  const entered = { ...stored, ...input } as unknown as SyncSettingsValues;
  for (const flag of ["scheduleEnabled", "allowRemoval", "sendSyncEmails", "autoCarryover", "allowClassNameOverride"] as const)
    entered[flag] = input[flag] === "on";
  entered.weekday = Number(input.weekday);
  entered.monthDay = Number(input.monthDay);
  entered.grades = [input.grades ?? []].flat();
  return entered;
}

/** Checks beyond the shape of each field, on what was sent: with the schema's, all are reported at once. */
async function crossChecks(c: AppContext, input: FormInput): Promise<FieldErrors> {
  const user = currentUser(c);
  const errors: FieldErrors = {};
  const journey = typeof input.defaultJourneyProductId === "string" ? input.defaultJourneyProductId : "";
  const licensed = new Set((await licensedProducts(c.get("deps").database.db, user.orgId)).map((product) => product.id));
  if (journey && !licensed.has(journey)) errors.defaultJourneyProductId = "Your organization has no licence for that product.";
  if (!(await loadValues(c)).selectionScope && !input.grades?.length) errors.grades = "Choose at least one grade to sync.";
  return errors;
}

const sendBack = async (c: AppContext, problem: FormProblem) =>
  page(c, {
    values: enteredValues((await loadValues(c)).values, problem.input),
    errors: { ...(await crossChecks(c, problem.input)), ...problem.errors },
    status: 422,
  });

settingsRoutes.post("/sync", validated("form", form, sendBack), async (c) => {
  const user = currentUser(c);
  const { database, config } = c.get("deps");
  const values = c.req.valid("form");
  const loaded = await loadValues(c);
  const input = await sentInput(c);
  const errors = await crossChecks(c, input);
  const scheduleProblem = validateSchedule(values, config.offPeak);
  if (scheduleProblem) errors[values.frequency === "monthly" && !/HH:MM/.test(scheduleProblem) ? "monthDay" : "timeOfDay"] = scheduleProblem;
  if (Object.keys(errors).length) return sendBack(c, { errors, input });
  const { grades, ...settings } = values;
  await saveSyncSettings(database.db, {
    orgId: user.orgId,
    userId: user.userId,
    settings: { ...settings, ...(loaded.selectionScope ? {} : { scope: { kind: "grades" as const, grades: grades ?? [] } }) },
    audited: values,
  });
  return page(c, { saved: true });
});
