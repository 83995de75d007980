/**
 * School > MIS user sync (mounted at /school, admins only): the wizard's panels, the review (a
 * preview run of the chosen selection, shown on the run's page), and "Save and sync pupils".
 * See src/sync/run/wizard.ts for what a save does.
 */
import { Hono } from "hono";
import { z } from "zod";
import { type EmailRow, WIZARD_STEPS, WizardDone, WizardPage, type WizardChosen, type WizardStep } from "../../views/school/mis-sync.tsx";
import { activeConnectionRow } from "../db/queries/connections.ts";
import { saveSyncSettings, syncSettingsOf } from "../db/queries/settings.ts";
import { findRun, isNewestRun } from "../db/queries/sync.ts";
import { loadConnection } from "../connections/details.ts";
import { ReadFailed } from "../roster/snapshot.ts";
import { addressConcern, pupilsChosen, readWizardChoices, saveAndSyncPupils, type WizardChoices } from "../sync/run/wizard.ts";
import { sendConfirmedVerifications } from "../auth/learner-accounts.ts";
import { licensedProducts } from "../orgs/organizations.ts";
import { NoSourceError, RunInProgressError } from "../sync/run/lifecycle.ts";
import { type AppContext, type AppEnv, currentUser, renderPage } from "./context.tsx";
import { requireAdmin, requireUser } from "./middleware.ts";
import { type FormProblem, validated } from "./validate.ts";
import { ErrorPage } from "../../views/errors.tsx";

export const schoolRoutes = new Hono<AppEnv>();
schoolRoutes.use(requireUser);
schoolRoutes.use(requireAdmin);

const title = { title: "MIS user sync", current: "mis-sync" };

/** The school's system as the wizard lists it, or why it cannot be read now. */
async function choicesNow(c: AppContext): Promise<WizardChoices | { problem: string }> {
  const user = currentUser(c);
  const { database, config, sync } = c.get("deps");
  const active = await activeConnectionRow(database.db, user.orgId);
  const connection = active ? await loadConnection(database.db, user.orgId, active.source, config.encryptionKey) : null;
  if (!connection) return { problem: "Connect your school's system first, on the Roster source page under Settings." };
  try {
    return await readWizardChoices(sync.deps, connection, AbortSignal.timeout(120_000));
  } catch (error) {
    if (error instanceof ReadFailed) return { problem: error.message };
    throw error;
  }
}

/** What the organization chose last time (its selection scope), or every class, for a first run. */
async function lastChosen(c: AppContext, choices: WizardChoices): Promise<WizardChosen> {
  const settings = await syncSettingsOf(c.get("deps").database.db, currentUser(c).orgId);
  const everyClass = {
    registrationGroups: choices.registrationGroups.map((group) => group.sourceId),
    subjectClasses: choices.subjectClasses.map((klass) => klass.sourceId),
  };
  // A new year's classes have new ids: a class the last choice does not know is new, and ticked.
  const pupils = settings.scope.kind === "selection" ? ("groups" as const) : ("all" as const);
  const syncEmails = settings.scope.kind === "selection" && Boolean(settings.scope.confirmedEmails?.length);
  return { ...everyClass, pupils, years: [], syncEmails, confirmedEmails: [] };
}

/** Whether a licensed product has its learners sign in: only then are pupils' addresses offered. */
async function emailsOffered(c: AppContext): Promise<boolean> {
  return (await licensedProducts(c.get("deps").database.db, currentUser(c).orgId)).some((product) => product.learnersSignIn);
}

/** The chosen pupils' addresses, each with why it may not be theirs. */
function emailRowsOf(choices: WizardChoices, chosen: WizardChosen): EmailRow[] {
  const domains = new Set(choices.schoolDomains);
  return (
    pupilsChosen(choices, chosen)
      .filter((pupil) => pupil.email)
      .map((pupil) => ({ sourceId: pupil.sourceId, name: pupil.name, email: pupil.email!, concern: addressConcern(pupil.email!, domains) }))
      // The addresses to look at come first, not somewhere among a thousand.
      .sort((a, b) => Number(b.concern !== null) - Number(a.concern !== null))
  );
}

async function page(c: AppContext, step: WizardStep, chosen?: WizardChosen, errors?: Record<string, string>, status = 200) {
  const choices = await choicesNow(c);
  if ("problem" in choices) return renderPage(c, { ...title, status: 409 }, <ErrorPage status={409} message={choices.problem} />);
  const current = chosen ?? (await lastChosen(c, choices));
  const emailRows = step === "emails" ? emailRowsOf(choices, current) : undefined;
  // Arriving at the emails panel, every address that raises no concern starts ticked.
  const shown =
    step === "emails" && !current.confirmedEmails.length
      ? { ...current, confirmedEmails: (emailRows ?? []).filter((row) => !row.concern).map((row) => row.sourceId) }
      : current;
  return renderPage(
    c,
    { ...title, status },
    <WizardPage step={step} choices={choices} chosen={shown} errors={errors} emailsOffered={await emailsOffered(c)} emailRows={emailRows} />,
  );
}

schoolRoutes.get("/mis-sync", (c) => page(c, "groups"));

const list = z.preprocess((value) => (value === undefined ? [] : [value].flat()), z.array(z.string().max(200)).max(20_000));
const wizardForm = z.object({
  step: z.enum(WIZARD_STEPS),
  go: z.enum(["next", "back", "review"]).catch("next"),
  registrationGroups: list,
  subjectClasses: list,
  pupils: z.enum(["all", "groups", "years"]).catch("all"),
  years: list,
  syncEmails: z.literal("on").optional(),
  confirmedEmails: list,
  /** The groups panel had none to offer (a file of subject classes only): none ticked is then right. */
  noGroups: z.literal("true").optional(),
});

const sendBack = (c: AppContext, problem: FormProblem) => page(c, "groups", undefined, problem.errors, 422);

schoolRoutes.post("/mis-sync", validated("form", wizardForm, sendBack), async (c) => {
  const form = c.req.valid("form");
  const chosen: WizardChosen = {
    registrationGroups: form.registrationGroups,
    subjectClasses: form.subjectClasses,
    pupils: form.pupils,
    years: form.years,
    syncEmails: form.syncEmails === "on" && (await emailsOffered(c)),
    confirmedEmails: form.confirmedEmails,
  };
  const index = WIZARD_STEPS.indexOf(form.step);
  if (form.go === "back") return page(c, WIZARD_STEPS[Math.max(0, index - 1)]!, chosen);
  if (form.step === "groups" && !form.noGroups && !chosen.registrationGroups.length)
    return page(c, "groups", chosen, { registrationGroups: "Tick at least one registration group: pupils are synced with their groups." }, 422);
  if (form.step === "pupils" && chosen.pupils === "years" && !chosen.years.length)
    return page(c, "pupils", chosen, { years: "Tick the year groups whose pupils to sync." }, 422);
  // After the pupils panel comes the emails panel only when addresses are synced; then the review.
  const next = form.step === "pupils" && !chosen.syncEmails ? "review" : form.go === "review" ? "review" : WIZARD_STEPS[index + 1];
  if (next === "review" || next === undefined) return review(c, chosen);
  return page(c, next, chosen);
});

/** Saves the choice as the organization's scope and previews it: the review is the preview's page. */
async function review(c: AppContext, chosen: WizardChosen) {
  const user = currentUser(c);
  const choices = await choicesNow(c);
  if ("problem" in choices) return renderPage(c, { ...title, status: 409 }, <ErrorPage status={409} message={choices.problem} />);
  // "Pupils in the chosen classes" are the classes' members: the scope takes them in without a list.
  const learners = chosen.pupils === "groups" ? [] : pupilsChosen(choices, chosen).map((pupil) => pupil.sourceId);
  const confirmed = new Set(chosen.syncEmails ? chosen.confirmedEmails : []);
  const confirmedEmails = emailRowsOf(choices, chosen)
    .filter((row) => confirmed.has(row.sourceId))
    .map((row) => ({ sourceId: row.sourceId, email: row.email }));
  const scope = { kind: "selection" as const, registrationGroups: chosen.registrationGroups, subjectClasses: chosen.subjectClasses, learners, confirmedEmails };
  await saveSyncSettings(c.get("deps").database.db, {
    orgId: user.orgId,
    userId: user.userId,
    settings: { scope },
    audited: { scope: { ...scope, learners: learners.length, confirmedEmails: confirmedEmails.length } },
  });
  try {
    const runId = await c.get("deps").sync.start({ orgId: user.orgId, trigger: "wizard", dryRun: true, startedBy: user.userId });
    c.header("HX-Redirect", `/sync/runs/${runId}`);
    return c.redirect(`/sync/runs/${runId}`, 303);
  } catch (error) {
    if (error instanceof NoSourceError) return renderPage(c, { ...title, status: 409 }, <ErrorPage status={409} message={error.message} />);
    throw error;
  }
}

/** "Save and sync pupils": the reviewed preview, applied by the wizard's own run (the Sync Now rule does not apply). */
schoolRoutes.post("/mis-sync/runs/:id/save", async (c) => {
  const user = currentUser(c);
  const db = c.get("deps").database.db;
  const run = await findRun(db, user.orgId, c.req.param("id"));
  if (!run) return c.notFound();
  if (run.trigger !== "wizard" || !run.dryRun || run.status !== "planned" || !(await isNewestRun(db, user.orgId, run.id)))
    return renderPage(
      c,
      { ...title, status: 409 },
      <ErrorPage status={409} message="This review is out of date: another sync or review has started since. Start the MIS user sync again." />,
    );
  try {
    const { sync, appUrl, config } = c.get("deps");
    const outcome = await saveAndSyncPupils(sync.deps, { orgId: user.orgId, userId: user.userId });
    const scope = (await syncSettingsOf(db, user.orgId)).scope;
    const confirmed = outcome.run.status === "succeeded" && scope.kind === "selection" ? (scope.confirmedEmails ?? []) : [];
    const verificationsSent = await sendConfirmedVerifications(db, {
      orgId: user.orgId,
      source: run.source,
      confirmed,
      appUrl,
      actorUserId: user.userId,
      supportEmail: config.supportEmail,
    });
    return renderPage(
      c,
      title,
      <WizardDone
        counts={outcome.run.counts ?? null}
        archived={outcome.archived}
        failed={outcome.run.errorMessage ?? null}
        runId={outcome.run.runId}
        verificationsSent={verificationsSent}
      />,
    );
  } catch (error) {
    if (error instanceof RunInProgressError) return renderPage(c, { ...title, status: 409 }, <ErrorPage status={409} message={error.message} />);
    throw error;
  }
});
