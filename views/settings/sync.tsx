/** The roster sync settings page (ARCHITECTURE.md, "Settings"). */
import { CheckboxField, ChoiceGroup, type FieldErrors, FormProblems, SelectField, TextField } from "../components/forms.tsx";
import { GRADE_CODES } from "../../src/roster/snapshot.ts";
import { Notice } from "../layout.tsx";

export interface SyncSettingsValues {
  scheduleEnabled: boolean;
  frequency: "daily" | "weekly" | "monthly";
  weekday: number;
  monthDay: number;
  timeOfDay: string;
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

export interface SyncSettingsPageProps {
  values: SyncSettingsValues;
  products: { id: string; name: string }[];
  timeZone: string;
  offPeak: { start: string; end: string };
  canEdit: boolean;
  errors?: FieldErrors | undefined;
  saved?: boolean | undefined;
  /** The wizard's selection is edited there, not here. */
  selectionScope: boolean;
}

const FREQUENCIES = ["daily", "weekly", "monthly"] as const;
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const GRADE_WORDS: Record<string, string> = {
  InfantToddler: "Infant / toddler",
  Preschool: "Preschool",
  PreKindergarten: "Pre-kindergarten",
  TransitionalKindergarten: "Transitional kindergarten",
  Kindergarten: "Kindergarten / Reception",
  PostGraduate: "Post-graduate",
  Ungraded: "Ungraded",
  Other: "Other",
};

export function SyncSettingsPage(props: SyncSettingsPageProps) {
  const { values } = props;
  const errors = props.errors ?? {};
  const disabled = !props.canEdit;
  const toggle = (name: keyof SyncSettingsValues & string, label: string, hint: string) => (
    <CheckboxField name={name} label={label} hint={hint} checked={Boolean(values[name])} disabled={disabled} toggle />
  );
  const number = (name: keyof SyncSettingsValues & string, label: string, min: number, max: number) => (
    <TextField name={name} label={label} type="number" min={min} max={max} value={values[name] as number} disabled={disabled} error={errors[name]} />
  );
  return (
    <section>
      <p>
        <a href="/settings">Settings</a> › Roster sync settings
      </p>
      <h1>Roster sync settings</h1>
      {props.saved ? <Notice kind="success">Saved. The next sync uses these settings.</Notice> : null}
      <FormProblems errors={errors} message="Some settings need another look; each one says what is wrong." />
      {disabled ? <p class="muted">Only your organization's admins can change these settings.</p> : null}
      <form method="post" action="/settings/sync">
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
              <TextField
                name="timeOfDay"
                label={`Time (${props.timeZone})`}
                type="time"
                value={values.timeOfDay}
                disabled={disabled}
                error={errors.timeOfDay}
              />
            </div>
          </div>
          <small>
            Daily syncs run outside school hours, between {props.offPeak.start} and {props.offPeak.end}.
          </small>
        </fieldset>

        <fieldset>
          <legend>What to sync</legend>
          {props.selectionScope ? (
            <p>This organization syncs the registration groups, classes and pupils chosen in the promotion wizard.</p>
          ) : (
            <ChoiceGroup
              type="checkbox"
              name="grades"
              label="Grades"
              hint="Classes of these grades are synced, with their learners and teachers (Clever's recommended sharing rule)."
              options={GRADE_CODES.map((grade) => ({ value: grade, label: GRADE_WORDS[grade] ?? `Grade ${grade}` }))}
              chosen={values.grades}
              grid
              disabled={disabled}
              error={errors.grades}
            />
          )}
        </fieldset>

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
          <SelectField
            name="defaultJourneyProductId"
            label="Default educational journey for new learners"
            value={values.defaultJourneyProductId ?? ""}
            options={[{ value: "", label: "None" }, ...props.products.map((product) => ({ value: product.id, label: product.name }))]}
            disabled={disabled}
            error={errors.defaultJourneyProductId}
          />
          {toggle("sendSyncEmails", "Send emails about sync events", "Your organization's admins hear when a sync succeeds, is held for approval, or fails.")}
        </fieldset>
        <button type="submit" disabled={disabled}>
          Save settings
        </button>
      </form>
    </section>
  );
}
