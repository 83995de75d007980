/** The roster sync settings page (ARCHITECTURE.md, "Settings"). */
import type { FieldErrors } from "../components/field-errors.ts";
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

function Check(props: { name: string; label: string; checked: boolean; hint: string; disabled: boolean }) {
  return (
    <label>
      {/* Pico draws a checkbox with role="switch" as a switch; the native checkbox keeps its own checked state, so aria-checked would only go stale. */}
      <input
        type="checkbox"
        // biome-ignore lint/a11y/useAriaPropsForRole: the native checked state is what assistive technology reads
        role="switch"
        name={props.name}
        value="on"
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={`${props.name}-hint`}
      />
      {props.label}
      <br />
      <small id={`${props.name}-hint`}>{props.hint}</small>
    </label>
  );
}

function FieldError(props: { errors?: FieldErrors | undefined; field: string }) {
  const message = props.errors?.[props.field];
  return message ? (
    <small id={`${props.field}-error`} class="field-error">
      {message}
    </small>
  ) : null;
}

export function SyncSettingsPage(props: SyncSettingsPageProps) {
  const { values, errors } = props;
  const disabled = !props.canEdit;
  const invalid = (field: string) => (errors?.[field] ? { "aria-invalid": "true" as const, "aria-describedby": `${field}-error` } : {});
  return (
    <section>
      <p>
        <a href="/settings">Settings</a> › Roster sync settings
      </p>
      <h1>Roster sync settings</h1>
      {props.saved ? <Notice kind="success">Saved. The next sync uses these settings.</Notice> : null}
      {errors && Object.keys(errors).length ? <Notice kind="error">Some settings need another look; each one says what is wrong.</Notice> : null}
      {disabled ? <p class="muted">Only your organization's admins can change these settings.</p> : null}
      <form method="post" action="/settings/sync">
        <fieldset>
          <legend>Schedule</legend>
          <Check
            name="scheduleEnabled"
            label="Sync on a schedule"
            checked={values.scheduleEnabled}
            disabled={disabled}
            hint="Without a schedule, syncs run only when someone starts one."
          />
          <label for="frequency">How often</label>
          <select id="frequency" name="frequency" disabled={disabled} {...invalid("frequency")}>
            {(["daily", "weekly", "monthly"] as const).map((frequency) => (
              <option value={frequency} selected={values.frequency === frequency}>
                {frequency[0]!.toUpperCase() + frequency.slice(1)}
              </option>
            ))}
          </select>
          <FieldError errors={errors} field="frequency" />
          <div class="grid">
            <div>
              <label for="weekday">Day of the week (weekly)</label>
              <select id="weekday" name="weekday" disabled={disabled}>
                {WEEKDAYS.map((day, index) => (
                  <option value={String(index)} selected={values.weekday === index}>
                    {day}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="monthDay">Day of the month (monthly)</label>
              <input
                id="monthDay"
                name="monthDay"
                type="number"
                min="1"
                max="28"
                value={String(values.monthDay)}
                disabled={disabled}
                {...invalid("monthDay")}
              />
              <FieldError errors={errors} field="monthDay" />
            </div>
            <div>
              <label for="timeOfDay">Time ({props.timeZone})</label>
              <input id="timeOfDay" name="timeOfDay" type="time" value={values.timeOfDay} disabled={disabled} {...invalid("timeOfDay")} />
              <FieldError errors={errors} field="timeOfDay" />
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
            <>
              <p id="grades-hint">Classes of these grades are synced, with their learners and teachers (Clever's recommended sharing rule).</p>
              <fieldset class="grade-grid" aria-describedby="grades-hint">
                {GRADE_CODES.map((grade) => (
                  <label>
                    <input type="checkbox" name="grades" value={grade} checked={values.grades?.includes(grade) ?? false} disabled={disabled} />
                    {GRADE_WORDS[grade] ?? `Grade ${grade}`}
                  </label>
                ))}
              </fieldset>
              <FieldError errors={errors} field="grades" />
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>Removal and safety</legend>
          <Check
            name="allowRemoval"
            label="Allow removal of data to match the roster"
            checked={values.allowRemoval}
            disabled={disabled}
            hint="Off: learners who leave the roster stay in Rollcall, no longer synced. On: they are deactivated or removed."
          />
          <label for="removalMode">When removal is on</label>
          <select id="removalMode" name="removalMode" disabled={disabled}>
            <option value="deactivate" selected={values.removalMode === "deactivate"}>
              Deactivate (keep their data; they cannot sign in)
            </option>
            <option value="remove" selected={values.removalMode === "remove"}>
              Remove (kept for the retention period, then deleted)
            </option>
          </select>
          <div class="grid">
            <div>
              <label for="retentionDays">Retention period, days</label>
              <input
                id="retentionDays"
                name="retentionDays"
                type="number"
                min="30"
                max="730"
                value={String(values.retentionDays)}
                disabled={disabled}
                {...invalid("retentionDays")}
              />
              <FieldError errors={errors} field="retentionDays" />
            </div>
            <div>
              <label for="holdThresholdPercent">Hold a sync that removes more than (%)</label>
              <input
                id="holdThresholdPercent"
                name="holdThresholdPercent"
                type="number"
                min="1"
                max="100"
                value={String(values.holdThresholdPercent)}
                disabled={disabled}
                {...invalid("holdThresholdPercent")}
              />
              <FieldError errors={errors} field="holdThresholdPercent" />
            </div>
            <div>
              <label for="holdThresholdMinimum">…and at least (records)</label>
              <input
                id="holdThresholdMinimum"
                name="holdThresholdMinimum"
                type="number"
                min="1"
                max="100000"
                value={String(values.holdThresholdMinimum)}
                disabled={disabled}
                {...invalid("holdThresholdMinimum")}
              />
              <FieldError errors={errors} field="holdThresholdMinimum" />
            </div>
          </div>
          <label for="mayMatchPolicy">Possible matches found by a scheduled sync</label>
          <select id="mayMatchPolicy" name="mayMatchPolicy" disabled={disabled}>
            <option value="hold" selected={values.mayMatchPolicy === "hold"}>
              Hold the sync until an admin reviews them
            </option>
            <option value="auto_accept" selected={values.mayMatchPolicy === "auto_accept"}>
              Link the very likely ones automatically; hold the rest
            </option>
          </select>
        </fieldset>

        <fieldset>
          <legend>Learners and classes</legend>
          <Check
            name="autoCarryover"
            label="Auto-carryover from last year's data"
            checked={values.autoCarryover}
            disabled={disabled}
            hint="New learners are first looked for in last year's archive, so a returning child keeps their history."
          />
          <Check
            name="allowClassNameOverride"
            label="Allow edits to classroom names to override roster names"
            checked={values.allowClassNameOverride}
            disabled={disabled}
            hint="A class renamed here keeps its name when the school's system renames it."
          />
          <label for="defaultJourneyProductId">Default educational journey for new learners</label>
          <select id="defaultJourneyProductId" name="defaultJourneyProductId" disabled={disabled} {...invalid("defaultJourneyProductId")}>
            <option value="" selected={!values.defaultJourneyProductId}>
              None
            </option>
            {props.products.map((product) => (
              <option value={product.id} selected={values.defaultJourneyProductId === product.id}>
                {product.name}
              </option>
            ))}
          </select>
          <FieldError errors={errors} field="defaultJourneyProductId" />
          <Check
            name="sendSyncEmails"
            label="Send emails about sync events"
            checked={values.sendSyncEmails}
            disabled={disabled}
            hint="Your organization's admins hear when a sync succeeds, is held for approval, or fails."
          />
        </fieldset>
        <button type="submit" disabled={disabled}>
          Save settings
        </button>
      </form>
    </section>
  );
}
