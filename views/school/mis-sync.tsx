/**
 * School > MIS user sync: the wizard's panels in the help text's order and words. Each panel
 * is a form that carries the earlier choices along; htmx swaps the panel, and without
 * JavaScript each is a whole page.
 */
import type { ChoiceClass, WizardChoices } from "../../src/sync/run/wizard.ts";
import { gradeWords, yearGroupWords } from "../../src/roster/labels.ts";
import { ChoiceGroup, FormProblems } from "../components/forms.tsx";
import { Notice } from "../layout.tsx";

export const WIZARD_STEPS = ["groups", "classes", "pupils"] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** What the admin has chosen so far. */
export interface WizardChosen {
  registrationGroups: string[];
  subjectClasses: string[];
  pupils: "all" | "groups" | "years";
  years: string[];
}

const TITLES: Record<WizardStep, string> = { groups: "Registration groups", classes: "Subject classes", pupils: "Pupils" };

function Carried(props: { chosen: WizardChosen; step: WizardStep }) {
  const fields: [string, string[]][] = [
    ["registrationGroups", props.step === "groups" ? [] : props.chosen.registrationGroups],
    ["subjectClasses", props.step === "classes" ? [] : props.chosen.subjectClasses],
    ["pupils", props.step === "pupils" ? [] : [props.chosen.pupils]],
    ["years", props.step === "pupils" ? [] : props.chosen.years],
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
  errors?: Record<string, string> | undefined;
  notice?: string | undefined;
}

export function WizardPage(props: WizardPageProps) {
  const { step, choices, chosen } = props;
  const number = WIZARD_STEPS.indexOf(step) + 1;
  const years = [...new Set(choices.pupils.map((pupil) => pupil.yearGroupCode).filter((code): code is string => code !== null))];
  return (
    <section id="wizard" aria-labelledby="wizard-title">
      <p>School › MIS user sync</p>
      <h1 id="wizard-title">
        MIS user sync: step {number} of {WIZARD_STEPS.length + 1}, {TITLES[step]}
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
            <p>Next you see every change before anything is saved: who is new, who is matched to a student you already have, and who leaves.</p>
            <div class="grid">
              <button type="submit" name="go" value="review">
                Review changes
              </button>
              <button type="submit" name="go" value="back" class="secondary">
                Back
              </button>
            </div>
          </>
        ) : null}
      </form>
    </section>
  );
}

export interface WizardDoneProps {
  counts: Record<string, Record<string, number>> | null;
  archived: { schoolYear: number; classes: number; learners: number } | null;
  failed: string | null;
  runId: string;
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
      <p>
        <a href="/learners">See your students</a> (synced students carry the chain-link icon) · <a href={`/sync/runs/${props.runId}`}>What this sync changed</a>
      </p>
    </section>
  );
}
