/**
 * The guided set-up of Roster Sync Settings (mounted at /settings/sync/setup, admins only). An
 * admin whose organization has no roster source lands here at sign-in. Each step checks only
 * its own fields; "Save settings" checks them all, saves them at once, and ends on the success
 * screen. The connection step saves the district as soon as Clever knows it.
 */
import { Hono } from "hono";
import { z } from "zod";
import { SETUP_STEPS, SetupDone, SetupPage, type SetupStep } from "../../views/settings/setup.tsx";
import type { SettingsFieldsProps, SyncSettingsValues } from "../../views/settings/sync-fields.tsx";
import type { FieldErrors } from "../../views/components/forms.tsx";
import { hasAppliedRun } from "../db/queries/sync.ts";
import { licensedProducts } from "../orgs/organizations.ts";
import { SOURCE_NAMES } from "../roster/sources.ts";
import { nextSlot } from "../schedule/slots.ts";
import { formatWhen } from "../../views/sync/parts.tsx";
import { activeConnection, cleverForm, connectClever } from "./connection.tsx";
import { speechOf } from "../roster/labels.ts";
import { type AppContext, type AppEnv, currentUser, renderPage } from "./context.tsx";
import { requireAdmin } from "./middleware.ts";
import { crossChecks, enteredValues, saveSettings, scheduleErrors, storedSettings, syncSettingsForm, valuesAsInput } from "./sync-settings-form.ts";
import { type FormInput, type FormProblem, sentInput, validated, validatedQuery } from "./validate.ts";

export const SETUP_PATH = "/settings/sync/setup";

export const setupRoutes = new Hono<AppEnv>();
setupRoutes.use(requireAdmin);

/** The fields each step shows; the rest travel unseen. */
const STEP_FIELDS: Record<SetupStep, readonly string[]> = {
  connection: [],
  schedule: ["scheduleEnabled", "frequency", "weekday", "monthDay", "timeOfDay", "fullReadEveryDays"],
  additional: [
    "allowRemoval",
    "removalMode",
    "retentionDays",
    "sendSyncEmails",
    "autoCarryover",
    "allowClassNameOverride",
    "holdThresholdPercent",
    "holdThresholdMinimum",
    "mayMatchPolicy",
    "grades",
  ],
  journey: ["defaultJourneyProductId"],
  save: [],
};

const stepErrors = (step: SetupStep, errors: FieldErrors): FieldErrors =>
  Object.fromEntries(Object.entries(errors).filter(([field]) => STEP_FIELDS[step].includes(field)));

async function stepPage(
  c: AppContext,
  step: SetupStep,
  options: {
    values?: SyncSettingsValues;
    errors?: FieldErrors;
    notice?: string;
    problem?: string;
    districtId?: { value: string; error: string };
    status?: number;
  } = {},
) {
  const user = currentUser(c);
  const [stored, products, connection] = await Promise.all([storedSettings(c), licensedProducts(c.get("deps").database.db, user.orgId), activeConnection(c)]);
  const values = options.values ?? stored.values;
  const fields: SettingsFieldsProps = {
    values,
    errors: options.errors ?? {},
    disabled: false,
    products,
    timeZone: user.orgTimeZone,
    offPeak: c.get("deps").config.offPeak,
    selectionScope: stored.selectionScope,
    speech: speechOf(user.orgCountry),
  };
  const carried = Object.fromEntries(Object.entries(valuesAsInput(values)).filter(([name]) => !STEP_FIELDS[step].includes(name)));
  // htmx puts the step in the address bar, so a reload or the back button shows the same step.
  c.header("HX-Push-Url", `${SETUP_PATH}?step=${step}`);
  return renderPage(
    c,
    { title: "Roster Sync Settings", current: "sync-settings", status: options.status },
    <SetupPage
      step={step}
      fields={fields}
      carried={carried}
      connection={connection ? { sourceName: SOURCE_NAMES[connection.source], description: connection.description } : null}
      districtId={options.districtId}
      notice={options.notice}
      problem={options.problem}
    />,
  );
}

setupRoutes.get("/", validatedQuery(z.object({ step: z.enum(SETUP_STEPS).catch("connection") })), (c) => stepPage(c, c.req.valid("query").step));

setupRoutes.post(
  "/connection",
  validated("form", cleverForm, async (c, problem) =>
    stepPage(c, "connection", {
      districtId: { value: String(problem.input.districtId ?? ""), error: problem.errors.districtId ?? "Enter your district ID." },
      status: 422,
    }),
  ),
  async (c) => {
    const { districtId } = c.req.valid("form");
    const connected = await connectClever(c, districtId);
    if ("problem" in connected) return stepPage(c, "connection", { districtId: { value: districtId, error: connected.problem }, status: 422 });
    return stepPage(c, "schedule", { notice: connected.saved });
  },
);

const stepForm = syncSettingsForm.extend({ step: z.enum(SETUP_STEPS), go: z.enum(["next", "back"]).catch("next") });

const neighbour = (step: SetupStep, go: "next" | "back"): SetupStep =>
  SETUP_STEPS[Math.min(SETUP_STEPS.length - 1, Math.max(0, SETUP_STEPS.indexOf(step) + (go === "next" ? 1 : -1)))]!;

/** Where a step's form goes: back without checks, on when its own fields are right, or to the saved set-up. */
async function advance(c: AppContext, input: FormInput, errors: FieldErrors, valid: z.infer<typeof stepForm> | null) {
  const stored = await storedSettings(c);
  const step = SETUP_STEPS.find((name) => name === input.step);
  // A form that does not say its step did not come from a step's page: start again at the first.
  if (!step)
    return stepPage(c, "connection", { problem: "That form did not say which step it came from, so nothing was saved. Start the set-up here.", status: 422 });
  const go = input.go === "back" ? "back" : "next";
  const values = enteredValues(stored.values, input);
  if (go === "back") return stepPage(c, neighbour(step, "back"), { values });
  const all = { ...(await crossChecks(c, input, stored.selectionScope)), ...scheduleErrors(c, input), ...errors };
  if (step !== "save") {
    const own = stepErrors(step, all);
    if (Object.keys(own).length) return stepPage(c, step, { values, errors: own, status: 422 });
    return stepPage(c, neighbour(step, "next"), { values });
  }
  // Saving checks every step: the first one with a problem is shown again.
  const wrong = SETUP_STEPS.find((name) => Object.keys(stepErrors(name, all)).length);
  if (wrong || !valid) return stepPage(c, wrong ?? "schedule", { values, errors: stepErrors(wrong ?? "schedule", all), status: 422 });
  const { step: _step, go: _go, ...settings } = valid;
  await saveSettings(c, settings, stored.selectionScope);
  return setupDone(c, settings);
}

async function setupDone(c: AppContext, schedule: Parameters<typeof nextSlot>[0]) {
  const user = currentUser(c);
  const next = nextSlot(schedule, user.orgTimeZone, new Date());
  const firstSync = !(await hasAppliedRun(c.get("deps").database.db, user.orgId));
  c.header("HX-Push-Url", `${SETUP_PATH}?step=save`);
  return renderPage(
    c,
    { title: "Roster sync is set up", current: "sync-settings" },
    <SetupDone nextSync={next ? `${formatWhen(next, user.orgTimeZone)} (${user.orgTimeZone})` : null} firstSync={firstSync} />,
  );
}

setupRoutes.post(
  "/",
  validated("form", stepForm, (c, problem: FormProblem) => advance(c, problem.input, problem.errors, null)),
  async (c) => advance(c, await sentInput(c), {}, c.req.valid("form")),
);
