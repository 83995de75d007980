/**
 * School > MIS user sync: the wizard's panels in the help text's order and words. Each panel
 * is a form that carries the earlier choices along; htmx swaps the panel, and without
 * JavaScript each is a whole page.
 */
import type { ChoiceClass, WizardChoices } from "../../src/sync/run/wizard.ts";
import { gradeWords, yearGroupWords } from "../../src/roster/labels.ts";
import { CheckboxField, ChoiceGroup, FormProblems } from "../components/forms.tsx";
import { Notice } from "../layout.tsx";

export const WIZARD_STEPS = ["groups", "classes", "pupils", "emails"] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** What the admin has chosen so far. */
export interface WizardChosen {
  registrationGroups: string[];
  subjectClasses: string[];
  pupils: "all" | "groups" | "years";
  years: string[];
  /** "Sync pupil email addresses", and the pupils whose addresses were confirmed. */
  syncEmails: boolean;
  confirmedEmails: string[];
}

/** A chosen pupil's address as the confirmation panel lists it. */
export interface EmailRow {
  sourceId: string;
  name: string;
  email: string;
  /** Why it may be a parent's or personal address; such rows start unticked. */
  concern: string | null;
}

const TITLES: Record<WizardStep, string> = { groups: "Registration groups", classes: "Subject classes", pupils: "Pupils", emails: "Pupil email addresses" };

function Carried(props: { chosen: WizardChosen; step: WizardStep }) {
  const fields: [string, string[]][] = [
    ["registrationGroups", props.step === "groups" ? [] : props.chosen.registrationGroups],
    ["subjectClasses", props.step === "classes" ? [] : props.chosen.subjectClasses],
    ["pupils", props.step === "pupils" ? [] : [props.chosen.pupils]],
    ["years", props.step === "pupils" ? [] : props.chosen.years],
    ["syncEmails", props.step === "pupils" || !props.chosen.syncEmails ? [] : ["on"]],
    ["confirmedEmails", props.step === "emails" ? [] : props.chosen.confirmedEmails],
  ];
  return (
    <>
      {fields.flatMap(([name, values]) => values.map((value) => <input type="hidden" name={name} value={value} />))}
      {/* An empty list still says it was sent, so "none ticked" is not read as "not asked yet". */}
      <input type="hidden" name="sent" value={props.step} />
    </>
  );
}

function ClassTable(props: { name: string; classes: ChoiceClass[]; chosen: string[]; caption: string }) {
  return (
    <ChoiceGroup
      type="checkbox"
      name={props.name}
      label={props.caption}
      options={props.classes.map((klass) => ({
        value: klass.sourceId,
        label: `${klass.name} (${yearGroupWords(klass.yearGroupCode, klass.yearGroupLabel, "gb")}, ${klass.pupils} ${klass.pupils === 1 ? "pupil" : "pupils"})`,
      }))}
      chosen={props.chosen}
      grid
    />
  );
}

export interface WizardPageProps {
  step: WizardStep;
  choices: WizardChoices;
  chosen: WizardChosen;
  /** A licensed product has pupils sign in: the pupils panel offers to sync their addresses. */
  emailsOffered: boolean;
  /** The emails panel's rows: the chosen pupils who have an address. */
  emailRows?: EmailRow[] | undefined;
  errors?: Record<string, string> | undefined;
  notice?: string | undefined;
}

export function WizardPage(props: WizardPageProps) {
  const { step, choices, chosen } = props;
  const number = WIZARD_STEPS.indexOf(step) + 1;
  // Review is the last step; the emails panel is one only when addresses are synced.
  const total = chosen.syncEmails ? 5 : 4;
  const years = [...new Set(choices.pupils.map((pupil) => pupil.yearGroupCode).filter((code): code is string => code !== null))];
  return (
    <section id="wizard" aria-labelledby="wizard-title">
      <p>School › MIS user sync</p>
      <h1 id="wizard-title">
        MIS user sync: step {number} of {total}, {TITLES[step]}
      </h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <FormProblems errors={props.errors} message="This step needs another look." />
      <form method="post" action="/school/mis-sync" hx-post="/school/mis-sync" hx-target="#wizard" hx-swap="outerHTML">
        <input type="hidden" name="step" value={step} />
        <Carried chosen={chosen} step={step} />
        {step === "groups" ? (
          <>
            <p>
              These are the registration groups your school's system has for the new academic year. Tick the ones to set up; new groups are ticked for you.
              Their names come from your MIS.
            </p>
            {choices.registrationGroups.length ? (
              <ClassTable name="registrationGroups" classes={choices.registrationGroups} chosen={chosen.registrationGroups} caption="Registration groups" />
            ) : (
              <>
                <p>Your school's system has no registration groups for this year: pupils are synced with their subject classes.</p>
                <input type="hidden" name="noGroups" value="true" />
              </>
            )}
            <button type="submit" name="go" value="next">
              Save registration group names and proceed
            </button>
          </>
        ) : null}
        {step === "classes" ? (
          <>
            {choices.subjectClasses.length ? (
              <>
                <p>Tick the subject classes to set up. You can skip this step: a primary school usually has none.</p>
                <ClassTable name="subjectClasses" classes={choices.subjectClasses} chosen={chosen.subjectClasses} caption="Subject classes" />
              </>
            ) : (
              <p>Your school's system has no subject classes for this year, so there is nothing to choose here.</p>
            )}
            <div class="grid">
              <button type="submit" name="go" value="next">
                Proceed
              </button>
              <button type="submit" name="go" value="back" class="secondary">
                Back
              </button>
            </div>
          </>
        ) : null}
        {step === "pupils" ? (
          <>
            <ChoiceGroup
              type="radio"
              name="pupils"
              label="Which pupils to sync"
              options={[
                { value: "all", label: `Select all pupils (${choices.pupils.length})` },
                { value: "groups", label: "Pupils in the registration groups and classes I chose" },
                { value: "years", label: "Pupils in these year groups:" },
              ]}
              chosen={[chosen.pupils]}
              error={props.errors?.pupils}
            />
            <ChoiceGroup
              type="checkbox"
              name="years"
              label="Year groups"
              options={years.map((code) => ({ value: code, label: gradeWords(code, "gb") }))}
              chosen={chosen.years}
              grid
              error={props.errors?.years}
            />
            {props.emailsOffered ? (
              <CheckboxField
                name="syncEmails"
                label="Sync pupil email addresses"
                checked={chosen.syncEmails}
                hint="Pupils then sign in to your products with their email address, after confirming it. You confirm each address first. You can always return to this option later."
              />
            ) : null}
            <p>Next you see every change before anything is saved: who is new, who is matched to a student you already have, and who leaves.</p>
            <div class="grid">
              <button type="submit" name="go" value="next">
                Proceed
              </button>
              <button type="submit" name="go" value="back" class="secondary">
                Back
              </button>
            </div>
          </>
        ) : null}
        {step === "emails" ? <EmailsPanel rows={props.emailRows ?? []} chosen={chosen.confirmedEmails} /> : null}
      </form>
    </section>
  );
}

/** Step 4: the addresses to confirm; one that looks like a parent's or personal starts unticked. */
function EmailsPanel(props: { rows: EmailRow[]; chosen: string[] }) {
  const chosen = new Set(props.chosen);
  return (
    <>
      <Notice kind="info">
        Once added, an email address cannot be removed, and the pupil's account cannot go back to signing in with a username. Tick only addresses that are the
        pupil's own.
      </Notice>
      {props.rows.some((row) => row.concern) ? (
        <p>
          <strong>{props.rows.filter((row) => row.concern).length}</strong> addresses may be a parent's or a personal one: they are listed first, unticked. Tick
          one only if you know it is the pupil's own.
        </p>
      ) : null}
      {props.rows.length ? (
        <fieldset>
          <legend>Addresses to confirm ({props.rows.length})</legend>
          {props.rows.map((row) => (
            <div class="email-row">
              <CheckboxField
                name="confirmedEmails"
                idPrefix={`email-${row.sourceId}`}
                value={row.sourceId}
                label={`${row.name}: ${row.email}`}
                checked={chosen.has(row.sourceId)}
                hint={row.concern ?? undefined}
              />
            </div>
          ))}
        </fieldset>
      ) : (
        <p>None of the chosen pupils has an email address in your school's system.</p>
      )}
      <div class="grid">
        <button type="submit" name="go" value="review">
          Review changes
        </button>
        <button type="submit" name="go" value="back" class="secondary">
          Back
        </button>
      </div>
    </>
  );
}

export interface WizardDoneProps {
  counts: Record<string, Record<string, number>> | null;
  archived: { schoolYear: number; classes: number; learners: number } | null;
  failed: string | null;
  runId: string;
  /** Verification emails sent to newly confirmed addresses. */
  verificationsSent: number;
}

/** After "Save and sync pupils": what changed, what ended with last year, and where to look. */
export function WizardDone(props: WizardDoneProps) {
  const pupils = props.counts?.learners;
  return (
    <section>
      <p>School › MIS user sync</p>
      <h1>MIS user sync: done</h1>
      {props.failed ? (
        <Notice kind="error">{props.failed}</Notice>
      ) : (
        <Notice kind="success">
          Pupils are synced: {pupils?.New ?? 0} new, {(pupils?.Synced ?? 0) + (pupils?.Unchanged ?? 0)} kept up to date, {pupils?.Matched ?? 0} matched to
          students you already had, {pupils?.Desynced ?? 0} no longer synced.
        </Notice>
      )}
      {props.archived ? (
        <p>
          Last year ({props.archived.schoolYear - 1}/{String(props.archived.schoolYear).slice(2)}) has ended: {props.archived.classes} of its classes and{" "}
          {props.archived.learners} leavers moved to the archive, with their history. Leavers lose access until they come back.
        </p>
      ) : null}
      {props.verificationsSent ? (
        <p>
          {props.verificationsSent} {props.verificationsSent === 1 ? "pupil was" : "pupils were"} sent an email to confirm their address and choose a password.
          Until they do, they cannot sign in with it; you can send it again from their page.
        </p>
      ) : null}
      <p>
        <a href="/learners">See your students</a> (synced students carry the chain-link icon) · <a href={`/sync/runs/${props.runId}`}>What this sync changed</a>
      </p>
    </section>
  );
}
