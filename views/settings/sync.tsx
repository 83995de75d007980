/** The roster sync settings page (ARCHITECTURE.md, "Settings"): every group of settings in one form. */
import { type FieldErrors, FormProblems } from "../components/forms.tsx";
import { Notice } from "../layout.tsx";
import { JourneyFields, LearnerFields, RemovalFields, ScheduleFields, ScopeFields, type SettingsFieldsProps, type SyncSettingsValues } from "./sync-fields.tsx";

export type { SyncSettingsValues };

export interface SyncSettingsPageProps extends Omit<SettingsFieldsProps, "errors" | "disabled"> {
  canEdit: boolean;
  errors?: FieldErrors | undefined;
  saved?: boolean | undefined;
  /** No roster source yet: the guided set-up is the way in. */
  connected: boolean;
}

export function SyncSettingsPage(props: SyncSettingsPageProps) {
  const fields: SettingsFieldsProps = { ...props, errors: props.errors ?? {}, disabled: !props.canEdit };
  return (
    <section>
      <p>Roster › Imports › Roster Sync Settings</p>
      <h1>Roster Sync Settings</h1>
      {props.saved ? <Notice kind="success">Saved. The next sync uses these settings.</Notice> : null}
      {!props.connected && props.canEdit ? (
        <Notice kind="info">
          No roster source is connected yet. <a href="/settings/sync/setup">Set up your roster sync step by step</a>: connection, schedule, additional settings
          and educational journey.
        </Notice>
      ) : null}
      <FormProblems errors={fields.errors} message="Some settings need another look; each one says what is wrong." />
      {props.canEdit ? (
        <p>
          Edit any step directly below, or <a href="/settings/sync/setup">go through the set-up again</a>.
        </p>
      ) : (
        <p class="muted">Only your organization's admins can change these settings.</p>
      )}
      <form method="post" action="/settings/sync">
        <ScheduleFields {...fields} />
        <LearnerFields {...fields} />
        <JourneyFields {...fields} />
        <ScopeFields {...fields} />
        <RemovalFields {...fields} />
        <button type="submit" disabled={fields.disabled}>
          Save settings
        </button>
      </form>
    </section>
  );
}
