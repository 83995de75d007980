import { SOURCE_NAMES } from "../../src/roster/sources.ts";
import { ChoiceGroup, type FieldErrors, FormProblems, SelectField, TextField } from "../components/forms.tsx";
import type { PlanCounts } from "../../src/run-record.ts";
import { Notice } from "../layout.tsx";
import { CountsTable } from "../sync/parts.tsx";

/** What the page shows of the saved connection: never a secret, only whether one is kept. */
export interface ConnectionSummary {
  source: "clever" | "oneroster" | "wonde";
  /** Plain words, e.g. "District 5f1c…" or "roster.zip, uploaded 3 Nov". */
  description: string;
  hasSecret: boolean;
  updatedAt: Date;
}

export interface ConnectionPageProps {
  active: ConnectionSummary | null;
  canEdit: boolean;
  /** The largest upload accepted, as words ("500 MB"). */
  uploadLimit: string;
  /** Which form the errors and values belong to. */
  form?: "clever" | "oneroster" | "oneroster-api" | "wonde" | undefined;
  errors?: FieldErrors | undefined;
  values?: Record<string, string> | undefined;
  saved?: string | undefined;
  /** The result of trying the source: what it holds, the first problems, and what a sync would do. */
  check?: CheckResult | undefined;
  /** The schools that have approved the vendor's Wonde app, for a school to pick its own (empty when Wonde cannot say). */
  wondeSchools?: { id: string; name: string }[] | undefined;
}

export interface CheckResult {
  /** False when the source could not be read, or a sync would wait for approval. */
  ok: boolean;
  message: string;
  problems: string[];
  /** Why a sync would wait for an admin's approval (none when it would not). */
  held?: string[] | undefined;
  /** What a sync would change, by review status. */
  counts?: PlanCounts | undefined;
  /** What the sync settings would leave out, in words. */
  outOfScope?: string[] | undefined;
}

function CheckAnswer(props: { check: CheckResult }) {
  const { check } = props;
  const held = check.held ?? [];
  const outOfScope = check.outOfScope ?? [];
  return (
    <>
      <Notice kind={check.ok ? "success" : "error"}>
        {check.message}
        {held.length ? (
          <>
            {" "}
            A sync would wait for your approval, because:
            <ul>
              {held.map((reason) => (
                <li>{reason}</li>
              ))}
            </ul>
          </>
        ) : check.counts ? (
          " A sync would apply the changes below."
        ) : null}
        {check.problems.length ? (
          <ul>
            {check.problems.map((problem) => (
              <li>{problem}</li>
            ))}
          </ul>
        ) : null}
      </Notice>
      {outOfScope.length ? (
        <Notice kind="info">
          Left out by your sync settings:
          <ul>
            {outOfScope.map((sentence) => (
              <li>{sentence}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {check.counts ? <CountsTable counts={check.counts} caption="What a sync would change" /> : null}
    </>
  );
}

/** Said at the top when a form is answered with problems, since each form sits far down the page. */
const NOT_SAVED = {
  clever: "The Clever connection was not saved.",
  oneroster: "The file was not used; the roster source is as it was.",
  "oneroster-api": "The OneRoster API connection was not saved.",
  wonde: "The Wonde connection was not saved.",
} as const;

/** How a OneRoster API signs requests; OAuth 2 unless the admin chose otherwise. */
const SIGNING = [
  { value: "oauth2", label: "OAuth 2 (client credentials)" },
  { value: "oauth1", label: "OAuth 1.0a (ClassLink and others)" },
] as const;

export function ConnectionPage(props: ConnectionPageProps) {
  const active = props.active;
  /** A field of one of the page's forms: its error and entered value only when that form was sent back. */
  const field = (form: NonNullable<ConnectionPageProps["form"]>, name: string) => ({
    idPrefix: form,
    name,
    error: props.form === form ? props.errors?.[name] : undefined,
    value: props.form === form ? props.values?.[name] : undefined,
    disabled: !props.canEdit,
  });
  return (
    <section>
      <p>
        <a href="/settings">Settings</a> › Roster source
      </p>
      <h1>Roster source</h1>
      {props.saved ? <Notice kind="success">{props.saved}</Notice> : null}
      {props.form ? <FormProblems errors={props.errors} message={NOT_SAVED[props.form]} idPrefix={props.form} /> : null}
      {props.check ? <CheckAnswer check={props.check} /> : null}
      {active ? (
        <article>
          <h2>Connected to {SOURCE_NAMES[active.source]}</h2>
          <p>{active.description}</p>
          <p class="muted">
            {active.hasSecret ? "Its credentials are saved encrypted and are never shown again. " : ""}
            Saved {active.updatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC. Syncs read from this source.
          </p>
          {props.canEdit ? (
            <form method="post" action="/settings/connection/check" class="inline-form">
              <button type="submit" class="secondary">
                Try the connection
              </button>
            </form>
          ) : null}
        </article>
      ) : (
        <Notice kind="info">No roster source is connected yet. Choose one below; nothing is synced until you start a sync.</Notice>
      )}
      {props.canEdit ? null : <p class="muted">Only your organization's admins can change the roster source.</p>}

      <h2>Clever</h2>
      <form method="post" action="/settings/connection/clever">
        <TextField
          {...field("clever", "districtId")}
          label="Clever district ID"
          autocomplete="off"
          required
          hint="In Clever, open the app from your dashboard and go to its Settings tab: the instant login link ends with district_id= and then the ID. Copy just that last part (or paste the whole link)."
        />
        <button type="submit" disabled={!props.canEdit}>
          Save Clever connection
        </button>
      </form>

      <h2>OneRoster file</h2>
      <form method="post" action="/settings/connection/oneroster" enctype="multipart/form-data">
        <TextField
          {...field("oneroster", "file")}
          label="OneRoster zip (versions 1.0 to 1.2, bulk or delta)"
          type="file"
          accept=".zip,application/zip"
          required
          hint={`Exported from your student information system. Up to ${props.uploadLimit}.`}
        />
        <button type="submit" disabled={!props.canEdit}>
          Upload and use this file
        </button>
      </form>

      <h2>OneRoster API</h2>
      <form method="post" action="/settings/connection/oneroster-api">
        <TextField
          {...field("oneroster-api", "baseUrl")}
          label="API address"
          autocomplete="off"
          required
          hint="Starts with https:// and ends in /ims/oneroster/v1p1 (or /rostering/v1p2), as your SIS shows it."
        />
        <ChoiceGroup
          {...field("oneroster-api", "auth")}
          type="radio"
          label="How does your SIS sign requests?"
          hint="With OAuth 2, Rollcall signs in at a token address, then reads. With OAuth 1.0a, every request is signed with the client secret and there is no token address."
          options={SIGNING}
          chosen={props.form === "oneroster-api" && props.values?.auth === "oauth1" ? "oauth1" : "oauth2"}
        />
        <TextField
          {...field("oneroster-api", "tokenUrl")}
          label="Token address (OAuth 2 only)"
          autocomplete="off"
          hint="Where this app signs in with its client ID and secret. Leave empty for OAuth 1.0a."
        />
        <TextField {...field("oneroster-api", "clientId")} label="Client ID" autocomplete="off" required />
        <TextField
          {...field("oneroster-api", "clientSecret")}
          label="Client secret"
          type="password"
          autocomplete="off"
          hint="Leave empty to keep the saved secret."
        />
        <button type="submit" disabled={!props.canEdit}>
          Save OneRoster API connection
        </button>
      </form>

      <h2>Wonde</h2>
      <form method="post" action="/settings/connection/wonde">
        {props.wondeSchools?.length ? (
          <SelectField
            {...field("wonde", "approvedSchoolId")}
            label="Your school"
            value={props.form === "wonde" ? props.values?.approvedSchoolId : ""}
            options={[
              { value: "", label: "My school is not listed" },
              ...props.wondeSchools.map((school) => ({ value: school.id, label: `${school.name} (${school.id})` })),
            ]}
            hint="The schools that have approved Rollcall in their Wonde portal."
          />
        ) : null}
        <TextField
          {...field("wonde", "schoolId")}
          label={props.wondeSchools?.length ? "Or your Wonde school ID" : "Wonde school ID"}
          autocomplete="off"
          hint="Starts with A, for example A1930499544. Your school approves Rollcall in its Wonde portal first."
        />
        <button type="submit" disabled={!props.canEdit}>
          Save Wonde connection
        </button>
      </form>
    </section>
  );
}
