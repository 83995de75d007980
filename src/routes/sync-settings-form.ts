/**
 * The roster sync settings form, read the same way by the settings page (all at once) and the
 * guided set-up (a step at a time): its schema, the checks beyond each field's shape, and saving.
 */
import { z } from "zod";
import type { FieldErrors } from "../../views/components/forms.tsx";
import type { SyncSettingsValues } from "../../views/settings/sync-fields.tsx";
import { saveSyncSettings, syncSettingsOf } from "../db/queries/settings.ts";
import { licensedProducts } from "../orgs/organizations.ts";
import { GRADE_CODES } from "../roster/snapshot.ts";
import { validateSchedule } from "../schedule/slots.ts";
import { type AppContext, currentUser } from "./context.tsx";
import type { FormInput } from "./validate.ts";

const whole = (min: number, max: number, what: string) =>
  z.coerce
    .number({ error: `Enter ${what}.` })
    .int(`Enter ${what} as a whole number.`)
    .min(min, `Enter ${what} from ${min} to ${max}.`)
    .max(max, `Enter ${what} from ${min} to ${max}.`);
const checkbox = z.preprocess((value) => value === "on", z.boolean());

export const syncSettingsForm = z.object({
  scheduleEnabled: checkbox,
  frequency: z.enum(["daily", "weekly", "monthly"], { error: "Choose daily, weekly or monthly." }),
  weekday: whole(0, 6, "a day of the week"),
  monthDay: whole(1, 28, "a day of the month"),
  timeOfDay: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Enter the time as HH:MM, for example 23:30."),
  fullReadEveryDays: whole(1, 30, "a number of days"),
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
export type SyncSettingsForm = z.infer<typeof syncSettingsForm>;

const TOGGLES = ["scheduleEnabled", "allowRemoval", "sendSyncEmails", "autoCarryover", "allowClassNameOverride"] as const;

export async function storedSettings(c: AppContext): Promise<{ values: SyncSettingsValues; selectionScope: boolean }> {
  const settings = await syncSettingsOf(c.get("deps").database.db, currentUser(c).orgId);
  return {
    selectionScope: settings.scope.kind === "selection",
    values: { ...settings, grades: settings.scope.kind === "grades" ? settings.scope.grades : null },
  };
}

/** What the admin entered, over what is stored, so a page sent back loses nothing typed. */
export function enteredValues(stored: SyncSettingsValues, input: FormInput): SyncSettingsValues {
  const entered = { ...stored, ...input } as unknown as SyncSettingsValues;
  for (const flag of TOGGLES) entered[flag] = input[flag] === "on";
  entered.weekday = Number(input.weekday);
  entered.monthDay = Number(input.monthDay);
  entered.grades = [input.grades ?? []].flat();
  return entered;
}

/** The form fields that carry these values: what a step of the set-up passes on without showing. */
export function valuesAsInput(values: SyncSettingsValues): FormInput {
  const input: FormInput = {};
  for (const name of Object.keys(syncSettingsForm.shape) as (keyof SyncSettingsValues)[]) {
    const value = values[name];
    if ((TOGGLES as readonly string[]).includes(name)) {
      if (value) input[name] = "on";
    } else if (Array.isArray(value)) input[name] = value;
    else input[name] = value === null || value === undefined ? "" : String(value);
  }
  return input;
}

/** Checks beyond the shape of each field, on what was sent: with the schema's, all are reported at once. */
export async function crossChecks(c: AppContext, input: FormInput, selectionScope: boolean): Promise<FieldErrors> {
  const user = currentUser(c);
  const errors: FieldErrors = {};
  const journey = typeof input.defaultJourneyProductId === "string" ? input.defaultJourneyProductId : "";
  const licensed = new Set((await licensedProducts(c.get("deps").database.db, user.orgId)).map((product) => product.id));
  if (journey && !licensed.has(journey)) errors.defaultJourneyProductId = "Your organization has no licence for that product.";
  if (!selectionScope && !input.grades?.length) errors.grades = "Choose at least one grade to sync.";
  return errors;
}

const scheduleFields = syncSettingsForm.pick({ scheduleEnabled: true, frequency: true, weekday: true, monthDay: true, timeOfDay: true });

/** The schedule's own rule (daily syncs off-peak), on what was sent, reported next to the field it concerns. */
export function scheduleErrors(c: AppContext, input: FormInput): FieldErrors {
  const schedule = scheduleFields.safeParse(input);
  if (!schedule.success) return {};
  const problem = validateSchedule(schedule.data, c.get("deps").config.offPeak);
  if (!problem) return {};
  return { [schedule.data.frequency === "monthly" && !/HH:MM/.test(problem) ? "monthDay" : "timeOfDay"]: problem };
}

/** Saves valid settings with the audit entry of what was entered; the wizard's selection scope is left alone. */
export async function saveSettings(c: AppContext, values: SyncSettingsForm, selectionScope: boolean): Promise<void> {
  const user = currentUser(c);
  const { grades, ...settings } = values;
  await saveSyncSettings(c.get("deps").database.db, {
    orgId: user.orgId,
    userId: user.userId,
    settings: { ...settings, ...(selectionScope ? {} : { scope: { kind: "grades" as const, grades: grades ?? [] } }) },
    audited: values,
  });
}
