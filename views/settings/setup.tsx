/**
 * The guided set-up of Roster Sync Settings, in the help text's steps: connection, schedule,
 * additional settings, educational journey, save. One panel a step; htmx swaps the panel, and
 * without JavaScript each step is a whole page. Values entered in earlier steps travel with the
 * form until "Save settings", so nothing is half saved.
 */
import type { Child } from "hono/jsx";
import { FormProblems, TextField } from "../components/forms.tsx";
import { Notice } from "../layout.tsx";
import { JourneyFields, LearnerFields, RemovalFields, ScheduleFields, ScopeFields, type SettingsFieldsProps } from "./sync-fields.tsx";

export const SETUP_STEPS = ["connection", "schedule", "additional", "journey", "save"] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

const STEP_TITLES: Record<SetupStep, string> = {
  connection: "Connection",
  schedule: "Schedule",
  additional: "Additional settings",
  journey: "Educational journey",
  save: "Save",
};

export interface SetupPageProps {
  step: SetupStep;
  fields: SettingsFieldsProps;
  /** The form fields of the other steps, carried along unseen. */
  carried: Record<string, string | string[]>;
  /** The roster source connected now, in words; null when there is none. */
  connection: { sourceName: string; description: string } | null;
  /** A district ID sent back with what is wrong. */
  districtId?: { value: string; error: string } | undefined;
  notice?: string | undefined;
  problem?: string | undefined;
}

function StepList(props: { step: SetupStep }) {
  return (
    <nav aria-label="Set-up steps">
      <ol class="steps">
        {SETUP_STEPS.map((step) => (
          <li aria-current={step === props.step ? "step" : undefined}>
            <a href={`/settings/sync/setup?step=${step}`}>{STEP_TITLES[step]}</a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The panel every step sits in: the step list, its title, what to fix, and its content. */
function Panel(props: { step: SetupStep; notice?: string | undefined; problem?: string | undefined; errors?: Record<string, string>; children: Child }) {
  const number = SETUP_STEPS.indexOf(props.step) + 1;
  return (
    <section id="setup" aria-labelledby="setup-title">
      <p>Roster › Imports › Roster Sync Settings</p>
      <h1 id="setup-title">
        Set up your roster sync: step {number} of {SETUP_STEPS.length}, {STEP_TITLES[props.step]}
      </h1>
      <StepList step={props.step} />
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.problem ? <Notice kind="error">{props.problem}</Notice> : null}
      <FormProblems errors={props.errors} message="This step needs another look; each field says what is wrong." />
      {props.children}
    </section>
  );
}

/** Unseen fields that carry the other steps' values. */
function Carried(props: { carried: Record<string, string | string[]> }) {
  return <>{Object.entries(props.carried).flatMap(([name, value]) => [value].flat().map((item) => <input type="hidden" name={name} value={item} />))}</>;
}

const htmxForm = (action: string) => ({ method: "post" as const, action, "hx-post": action, "hx-target": "#setup", "hx-swap": "outerHTML" });

function ConnectionStep(props: SetupPageProps) {
  const { connection } = props;
  return (
    <>
      {connection ? (
        <>
          <p>
            Connected to <strong>{connection.sourceName}</strong>. {connection.description}
          </p>
          <form {...htmxForm("/settings/sync/setup")}>
            <input type="hidden" name="step" value="connection" />
            <Carried carried={props.carried} />
            <button type="submit" name="go" value="next">
              Continue
            </button>
          </form>
          <p>
            To connect another district or source, enter its district ID below, or use <a href="/settings/connection">the roster source page</a> for a OneRoster
            file, a OneRoster API or Wonde.
          </p>
        </>
      ) : (
        <p>
          Rollcall reads your roster from Clever. Once you have shared your roster data with our app in Clever, enter your district ID. Using a OneRoster file,
          a OneRoster API or Wonde instead? Connect it on <a href="/settings/connection">the roster source page</a>, then come back here.
        </p>
      )}
      <form {...htmxForm("/settings/sync/setup/connection")}>
        <TextField
          name="districtId"
          label="Clever district ID"
          autocomplete="off"
          required
          value={props.districtId?.value}
          error={props.districtId?.error}
          hint="In Clever, open our app from your dashboard and go to its Settings tab. The instant login link ends with district_id= and then a string of numbers and letters: copy just that last part (or paste the whole link)."
        />
        <button type="submit">{connection ? "Connect this district instead" : "Connect and continue"}</button>
      </form>
    </>
  );
}

const STEP_FIELDS: Record<Exclude<SetupStep, "connection" | "save">, (fields: SettingsFieldsProps) => Child> = {
  schedule: (fields) => (
    <>
      <p>
        Make sure the scheduled sync is on; turn it off when no one needs the roster to change (the summer holiday, for example). Sync Now, on the Roster Sync
        Status page, starts a one-time sync; afterwards it comes back once the next scheduled sync has run.
      </p>
      <ScheduleFields {...fields} />
    </>
  ),
  additional: (fields) => (
    <>
      <LearnerFields {...fields} />
      <ScopeFields {...fields} />
      <RemovalFields {...fields} />
    </>
  ),
  journey: (fields) => (
    <>
      <p>Choose the educational journey every new learner gets when they are synced. Only products your organization has a licence for are listed.</p>
      <JourneyFields {...fields} />
    </>
  ),
};

/** What "Save settings" will save, in words, so the last step is a check and not a guess. */
function Summary(props: { fields: SettingsFieldsProps }) {
  const { values, products } = props.fields;
  const journey = products.find((product) => product.id === values.defaultJourneyProductId)?.name ?? "None";
  const onOff = (on: boolean) => (on ? "On" : "Off");
  const rows: [string, string][] = [
    ["Scheduled sync", values.scheduleEnabled ? `${values.frequency[0]!.toUpperCase()}${values.frequency.slice(1)} at ${values.timeOfDay}` : "Off"],
    ["Allow removal of data to match roster", values.allowRemoval ? `On (${values.removalMode === "remove" ? "remove" : "deactivate"})` : "Off"],
    ["Send emails about sync events", onOff(values.sendSyncEmails)],
    ["Auto-carryover from last year's data", onOff(values.autoCarryover)],
    ["Allow edits to classroom names to override roster names", onOff(values.allowClassNameOverride)],
    ["Educational journey for new learners", journey],
  ];
  return (
    <table>
      <caption>Your settings</caption>
      <tbody>
        {rows.map(([name, value]) => (
          <tr>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SetupPage(props: SetupPageProps) {
  if (props.step === "connection")
    return (
      <Panel step="connection" notice={props.notice} problem={props.problem} errors={props.districtId ? { districtId: props.districtId.error } : undefined}>
        <ConnectionStep {...props} />
      </Panel>
    );
  const last = props.step === "save";
  return (
    <Panel step={props.step} notice={props.notice} problem={props.problem} errors={props.fields.errors}>
      <form {...htmxForm("/settings/sync/setup")}>
        <input type="hidden" name="step" value={props.step} />
        {props.step === "save" ? <Summary fields={props.fields} /> : STEP_FIELDS[props.step](props.fields)}
        <Carried carried={props.carried} />
        <div class="grid">
          <button type="submit" name="go" value="next">
            {last ? "Save settings" : "Save and continue"}
          </button>
          <button type="submit" name="go" value="back" class="secondary">
            Back
          </button>
        </div>
      </form>
    </Panel>
  );
}

/** After "Save settings": when the next sync runs, and where to go from here. */
export function SetupDone(props: { nextSync: string | null; firstSync: boolean }) {
  return (
    <section id="setup" aria-labelledby="setup-title">
      <p>Roster › Imports › Roster Sync Settings</p>
      <h1 id="setup-title">Your roster sync is set up</h1>
      <Notice kind="success">Your settings are saved.</Notice>
      <p>
        {props.nextSync
          ? `The next scheduled sync runs on ${props.nextSync}.`
          : "No schedule is on, so syncs run only when you start one. You can turn the schedule on at any time."}
      </p>
      <div class="grid">
        <form method="post" action="/sync/now">
          <button type="submit">Sync now</button>
          <small class="muted">{props.firstSync ? "Your first sync shows you every change before anything is saved." : "Starts a one-time sync now."}</small>
        </form>
        <p>
          <a href="/sync" class="button-link">
            View Sync Status
          </a>
        </p>
      </div>
    </section>
  );
}
