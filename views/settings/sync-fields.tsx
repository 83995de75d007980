/**
 * The roster sync settings, one group of fields per step of the set-up (Roster Sync Settings:
 * schedule, additional settings, educational journey). The settings page shows every group in
 * one form; the guided set-up shows one group a step.
 */
import { CheckboxField, ChoiceGroup, type FieldErrors, SelectField, TextField } from "../components/forms.tsx";
import { GRADE_CODES } from "../../src/roster/snapshot.ts";
import { gradeWords, type Speech } from "../../src/roster/labels.ts";

export interface SyncSettingsValues {
  scheduleEnabled: boolean;
  frequency: "daily" | "weekly" | "monthly";
  weekday: number;
  monthDay: number;
  timeOfDay: string;
  fullReadEveryDays: number;
  allowRemoval: boolean;
  removalMode: "deactivate" | "remove";
  retentionDays: number;
  sendSyncEmails: boolean;
  autoCarryover: boolean;
  allowClassNameOverride: boolean;
  defaultJourneyProductId: string | null;
  holdThresholdPercent: number;
  holdThresholdMinimum: number;
  mayMatchPolicy: "hold" | "auto_accept";
  grades: string[] | null;
}

export interface SettingsFieldsProps {
  values: SyncSettingsValues;
  errors: FieldErrors;
  disabled: boolean;
  products: { id: string; name: string }[];
  timeZone: string;
  offPeak: { start: string; end: string };
  /** The wizard's selection is edited there, not here. */
  selectionScope: boolean;
  /** A GB organization's words for grades. */
  speech?: Speech | undefined;
}

const FREQUENCIES = ["daily", "weekly", "monthly"] as const;
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function helpers(props: SettingsFieldsProps) {
  const { values, errors, disabled } = props;
  return {
    toggle: (name: keyof SyncSettingsValues & string, label: string, hint: string) => (
      <CheckboxField name={name} label={label} hint={hint} checked={Boolean(values[name])} disabled={disabled} toggle />
    ),
    number: (name: keyof SyncSettingsValues & string, label: string, min: number, max: number) => (
      <TextField name={name} label={label} type="number" min={min} max={max} value={values[name] as number} disabled={disabled} error={errors[name]} />
    ),
  };
}

/** Step 4 of the set-up: the schedule. */
export function ScheduleFields(props: SettingsFieldsProps) {
  const { values, errors, disabled } = props;
  const { toggle, number } = helpers(props);
  return (
    <fieldset>
      <legend>Schedule</legend>
      {toggle("scheduleEnabled", "Sync on a schedule", "Without a schedule, syncs run only when someone starts one.")}
      <SelectField
        name="frequency"
        label="How often"
        value={values.frequency}
        options={FREQUENCIES.map((frequency) => ({ value: frequency, label: frequency[0]!.toUpperCase() + frequency.slice(1) }))}
        disabled={disabled}
        error={errors.frequency}
      />
      <div class="grid">
        <div>
          <SelectField
            name="weekday"
            label="Day of the week (weekly)"
            value={values.weekday}
            options={WEEKDAYS.map((day, index) => ({ value: String(index), label: day }))}
            disabled={disabled}
            error={errors.weekday}
          />
        </div>
        <div>{number("monthDay", "Day of the month (monthly)", 1, 28)}</div>
        <div>
          <TextField name="timeOfDay" label={`Time (${props.timeZone})`} type="time" value={values.timeOfDay} disabled={disabled} error={errors.timeOfDay} />
        </div>
      </div>
      <small>
        Daily syncs run outside school hours, between {props.offPeak.start} and {props.offPeak.end}.
      </small>
      <TextField
        name="fullReadEveryDays"
        label="Read the whole roster at least every (days)"
        hint="Between these full reads, scheduled syncs read only what changed since the last sync, which is much faster. A sync you start yourself always reads everything."
        type="number"
        min={1}
        max={30}
        value={values.fullReadEveryDays}
        disabled={disabled}
        error={errors.fullReadEveryDays}
      />
    </fieldset>
  );
}

/** What a sync takes in: the grades (Clever's recommended sharing rule), unless the wizard chose. */
export function ScopeFields(props: SettingsFieldsProps) {
  const { values, errors, disabled } = props;
  return (
    <fieldset>
      <legend>What to sync</legend>
      {props.selectionScope ? (
        <p>This organization syncs the registration groups, classes and pupils chosen in the promotion wizard.</p>
      ) : (
        <ChoiceGroup
          type="checkbox"
          name="grades"
          label={props.speech === "gb" ? "Year groups" : "Grades"}
          hint={
            props.speech === "gb"
              ? "Classes of these year groups are synced, with their students and teachers."
              : "Classes of these grades are synced, with their learners and teachers (Clever's recommended sharing rule)."
          }
          options={GRADE_CODES.map((grade) => ({ value: grade, label: gradeWords(grade, props.speech) }))}
          chosen={values.grades}
          grid
          disabled={disabled}
          error={errors.grades}
        />
      )}
    </fieldset>
  );
}

/** Removal, the hold thresholds and what a scheduled sync does with possible matches. */
export function RemovalFields(props: SettingsFieldsProps) {
  const { values, errors, disabled } = props;
  const { toggle, number } = helpers(props);
  return (
    <fieldset>
      <legend>Removal and safety</legend>
      {toggle(
        "allowRemoval",
        "Allow removal of data to match the roster",
        "Off: learners who leave the roster stay in Rollcall, no longer synced. On: they are deactivated or removed.",
      )}
      <SelectField
        name="removalMode"
        label="When removal is on"
        value={values.removalMode}
        options={[
          { value: "deactivate", label: "Deactivate (keep their data; they cannot sign in)" },
          { value: "remove", label: "Remove (kept for the retention period, then deleted)" },
        ]}
        disabled={disabled}
        error={errors.removalMode}
      />
      <div class="grid">
        <div>{number("retentionDays", "Retention period, days", 30, 730)}</div>
        <div>{number("holdThresholdPercent", "Hold a sync that removes more than (%)", 1, 100)}</div>
        <div>{number("holdThresholdMinimum", "…and at least (records)", 1, 100_000)}</div>
      </div>
      <SelectField
        name="mayMatchPolicy"
        label="Possible matches found by a scheduled sync"
        value={values.mayMatchPolicy}
        options={[
          { value: "hold", label: "Hold the sync until an admin reviews them" },
          { value: "auto_accept", label: "Link the very likely ones automatically; hold the rest" },
        ]}
        disabled={disabled}
        error={errors.mayMatchPolicy}
      />
    </fieldset>
  );
}

/** Step 5's other toggles: carryover, class names, emails. */
export function LearnerFields(props: SettingsFieldsProps) {
  const { toggle } = helpers(props);
  return (
    <fieldset>
      <legend>Learners and classes</legend>
      {toggle(
        "autoCarryover",
        "Auto-carryover from last year's data",
        "New learners are first looked for in last year's archive, so a returning child keeps their history.",
      )}
      {toggle(
        "allowClassNameOverride",
        "Allow edits to classroom names to override roster names",
        "A class renamed here keeps its name when the school's system renames it.",
      )}
      {toggle("sendSyncEmails", "Send emails about sync events", "Your organization's admins hear when a sync succeeds, is held for approval, or fails.")}
    </fieldset>
  );
}

/** Step 6: the educational journey every new learner gets, among licensed products only. */
export function JourneyFields(props: SettingsFieldsProps) {
  const { values, errors, disabled } = props;
  return (
    <fieldset>
      <legend>Educational journey for new learners</legend>
      <SelectField
        name="defaultJourneyProductId"
        label="Default educational journey for new learners"
        value={values.defaultJourneyProductId ?? ""}
        options={[{ value: "", label: "None" }, ...props.products.map((product) => ({ value: product.id, label: product.name }))]}
        disabled={disabled}
        error={errors.defaultJourneyProductId}
      />
      <small>You can always change a learner's journey on their profile, or for many at once with the Bulk Journey Updater.</small>
    </fieldset>
  );
}
