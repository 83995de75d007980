import type { RunRecord } from "../../src/run-record.ts";
import { describeOutOfScope } from "./out-of-scope.ts";
import { Notice } from "../layout.tsx";
import { CountsTable, duration, formatWhen, HeldRunActions, HoldReasons, isActive, StatusBadge, TRIGGER_WORDS } from "./parts.tsx";

export interface ProblemRow {
  severity: string;
  file: string | null;
  line: number | null;
  field: string | null;
  message: string;
}

export interface ChangeRow {
  entity: string;
  status: string;
  action: string;
  label: string | null;
  entityId: string | null;
  after: unknown;
}

const ACTION_WORDS: Record<string, string> = {
  create: "Added",
  update: "Updated",
  link: "Linked to an existing learner",
  restore: "Restored",
  unlink: "No longer synced (kept)",
  deactivate: "Deactivated",
  remove: "Removed",
  review: "Waits for review",
  members: "Class members changed",
};

type Change = { field: string; before: unknown; after: unknown };
const shown = (value: unknown) => (value === null || value === undefined || value === "" ? "—" : Array.isArray(value) ? value.join(", ") : String(value));

function ChangeList(props: { after: unknown }) {
  const changes = ((props.after as { changes?: Change[] } | null)?.changes ?? []) as Change[];
  const flags = ((props.after as { flags?: string[] } | null)?.flags ?? []) as string[];
  if (!changes.length && !flags.length) return null;
  return (
    <ul class="changes">
      {changes.map((change) => (
        <li>
          {change.field}: {shown(change.before)} → {shown(change.after)}
        </li>
      ))}
      {flags.map((flag) => (
        <li class="flag">{flag}</li>
      ))}
    </ul>
  );
}

/** What the sync settings left out of this run, in plain words (nothing is left out silently). */
function OutOfScopeNote(props: { run: RunRecord }) {
  const sentences = props.run.outOfScope ? describeOutOfScope(props.run.outOfScope) : [];
  if (!sentences.length) return null;
  return (
    <Notice kind="info">
      Left out by your sync settings:
      <ul>
        {sentences.map((sentence) => (
          <li>{sentence}</li>
        ))}
      </ul>
      {props.run.outOfScope?.scope === "grades" ? (
        <>
          Choose which grades are synced on the <a href="/settings/sync">sync settings</a> page.
        </>
      ) : null}
    </Notice>
  );
}

export interface RunPageProps {
  run: RunRecord;
  timeZone: string;
  problems: ProblemRow[];
  changes: ChangeRow[];
  /** Shown only where fewer rows fit on the page than the run has. */
  moreProblems: boolean;
  moreChanges: boolean;
  canUndo: boolean;
  canAct: boolean;
  notice?: string | undefined;
}

export function RunPage(props: RunPageProps) {
  const { run } = props;
  return (
    <section>
      <p>
        <a href="/sync">Sync</a> › <a href="/sync/history">Import history</a> › Run
      </p>
      <h1>
        {TRIGGER_WORDS[run.trigger] ?? run.trigger} sync of {formatWhen(run.createdAt, props.timeZone)}
      </h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <p>
        <StatusBadge status={run.status} /> {run.dryRun ? "Preview only: nothing was changed. " : ""}Duration {duration(run)}.
        {run.undoneAt ? ` Undone on ${formatWhen(run.undoneAt, props.timeZone)}.` : ""}
      </p>
      {isActive(run) ? (
        <p>
          This sync is still going; <a href="/sync">follow it on the Sync page</a>.
        </p>
      ) : null}
      {run.holdReason ? <HoldReasons text={run.holdReason} /> : null}
      {run.errorMessage ? <Notice kind="error">{run.errorMessage}</Notice> : null}
      <CountsTable counts={run.counts} caption="Records by review status" />
      <OutOfScopeNote run={run} />
      {props.canAct && run.status === "held" ? <HeldRunActions runId={run.id} /> : null}
      {props.canUndo ? (
        <form method="post" action={`/sync/runs/${run.id}/undo`}>
          <button type="submit" class="secondary" data-confirm="Undo this sync? Everything it changed is put back as it was before.">
            Undo this sync
          </button>
        </form>
      ) : null}

      <h2>Problems</h2>
      {props.problems.length === 0 ? (
        <p>No problems were found in the roster.</p>
      ) : (
        <>
          <p>
            <a href={`/sync/runs/${run.id}/problems.csv`} download>
              Download all problems (CSV)
            </a>
          </p>
          <div class="table-scroll">
            <table>
              <caption>{props.moreProblems ? `The first ${props.problems.length} problems` : "Problems in the roster"}</caption>
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">File</th>
                  <th scope="col" class="number">
                    Line
                  </th>
                  <th scope="col">Field</th>
                  <th scope="col">What is wrong</th>
                </tr>
              </thead>
              <tbody>
                {props.problems.map((problem) => (
                  <tr>
                    <td>{problem.severity === "error" ? "Error (row skipped)" : "Warning"}</td>
                    <td>{problem.file ?? "—"}</td>
                    <td class="number">{problem.line ?? "—"}</td>
                    <td>{problem.field ?? "—"}</td>
                    <td>{problem.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h2>Changes to learners</h2>
      {props.changes.length === 0 ? (
        <p>No learner was changed{run.status === "held" ? " yet" : ""}.</p>
      ) : (
        <>
          <p>
            <a href={`/sync/runs/${run.id}/changes.csv`} download>
              Download all changes (CSV)
            </a>
          </p>
          <div class="table-scroll">
            <table>
              <caption>{props.moreChanges ? `The first ${props.changes.length} changed learners` : "Changed learners"}</caption>
              <thead>
                <tr>
                  <th scope="col">Learner</th>
                  <th scope="col">Status</th>
                  <th scope="col">What happens</th>
                  <th scope="col">Fields</th>
                </tr>
              </thead>
              <tbody>
                {props.changes.map((change) => (
                  <tr>
                    <td>
                      {change.label === null ? (
                        <span class="muted">Details erased</span>
                      ) : change.entityId && change.action !== "remove" ? (
                        <a href={`/learners/${change.entityId}`}>{change.label}</a>
                      ) : (
                        change.label
                      )}
                    </td>
                    <td>{change.status}</td>
                    <td>{ACTION_WORDS[change.action] ?? change.action}</td>
                    <td>
                      <ChangeList after={change.after} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
