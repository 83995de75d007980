import type { RunRecord } from "../../src/run-record.ts";
import type { ItemExplanation } from "../../src/sync/reconcile/types.ts";
import { MatchReason } from "../review/waterfall.tsx";
import { describeOutOfScope } from "./out-of-scope.ts";
import { Notice } from "../layout.tsx";
import { CountsTable, duration, formatWhen, HeldRunActions, HoldReasons, isActive, StatusBadge } from "./parts.tsx";
import { ACTION_WORDS, changesInWords, readWords, TRIGGER_WORDS, type ValueContext, wordsFor } from "../../src/roster/labels.ts";

export interface ProblemRow {
  id: number;
  severity: string;
  file: string | null;
  line: number | null;
  field: string | null;
  message: string;
}

export interface ChangeRow {
  id: number;
  entity: string;
  status: string;
  action: string;
  label: string | null;
  entityId: string | null;
  after: unknown;
  explanation?: unknown;
}

type Change = { field: string; before: unknown; after: unknown };

/** A Matched learner restored from the archive is a child who came back: said so, as carryover promises. */
const RETURNING = "Returning: found in the archive and restored with their history";

/** A record's changes, field by field in words ("Grade: Grade 4 → Grade 5"), and its flags. */
function ChangeList(props: { after: unknown; context: ValueContext }) {
  const changes = ((props.after as { changes?: Change[] } | null)?.changes ?? []) as Change[];
  const flags = ((props.after as { flags?: string[] } | null)?.flags ?? []) as string[];
  const lines = changesInWords(changes, props.context);
  if (!lines.length && !flags.length) return null;
  return (
    <ul class="changes">
      {lines.map((line) => (
        <li>
          {line.field}: {line.before} → {line.after}
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
  /** Where each list starts: after this id (0 for its start). */
  listsFrom: { problems: number; changes: number };
  canUndo: boolean;
  canAct: boolean;
  notice?: string | undefined;
  /** How to say values: the organization's grade words and its schools' names. */
  valueContext: ValueContext;
  /** A finished preview: whether it can be applied now, and why not. */
  preview: PreviewActions | null;
  problem?: string | undefined;
}

/** A run list's caption: the whole list, its first rows, or rows further on. */
function listCaption(from: number, more: boolean, rows: string, whole: string): string {
  if (from > 0) return `${rows}, further on in the order they were recorded`;
  return more ? `The first ${rows}, in the order they were recorded` : whole;
}

/** Next and First for one of the run's lists; the other list stays where it is. */
function ListPager(props: {
  run: string;
  list: "problems" | "changes";
  from: { problems: number; changes: number };
  lastId: number | undefined;
  more: boolean;
}) {
  if (!props.more && props.from[props.list] === 0) return null;
  const href = (at: number) => {
    const query = new URLSearchParams();
    const where = { ...props.from, [props.list]: at };
    for (const [list, id] of Object.entries(where)) if (id > 0) query.set(list, String(id));
    const text = query.toString();
    return `/sync/runs/${props.run}${text ? `?${text}` : ""}#${props.list}`;
  };
  const noun = props.list === "problems" ? "problems" : "changes";
  return (
    <nav aria-label={`Pages of ${noun}`} class="pager">
      <ul>
        <li>{props.from[props.list] > 0 ? <a href={href(0)}>First {noun}</a> : <span class="muted">First {noun}</span>}</li>
        <li>{props.more && props.lastId ? <a href={href(props.lastId)}>Next {noun}</a> : <span class="muted">Next {noun}</span>}</li>
      </ul>
    </nav>
  );
}

export interface PreviewActions {
  canApply: boolean;
  reason: string | null;
}

/** A finished preview's actions: apply it (as the Sync Now it stands for), or look at the May match pairs first. */
function PreviewBox(props: { run: RunRecord; actions: PreviewActions }) {
  const mayMatch = props.run.counts?.learners?.["May match"] ?? 0;
  // The MIS user sync's review: saving syncs the chosen pupils and ends last year.
  const wizard = props.run.trigger === "wizard";
  return (
    <article aria-labelledby="preview-title">
      <h2 id="preview-title">Nothing has changed yet</h2>
      <p>This preview shows every change the sync would make. Look through them below, then apply them or leave them.</p>
      {mayMatch ? (
        <p>
          <a href="/review">
            Answer the {mayMatch} possible {mayMatch === 1 ? "match" : "matches"}
          </a>{" "}
          first to link them to the learners you already have; unanswered ones are left for a later sync.
        </p>
      ) : null}
      <form method="post" action={wizard ? `/school/mis-sync/runs/${props.run.id}/save` : `/sync/runs/${props.run.id}/apply`}>
        <button type="submit" disabled={!props.actions.canApply} aria-describedby={props.actions.reason ? "apply-why" : undefined}>
          {wizard ? "Save and sync pupils" : "Apply these changes"}
        </button>
        {props.actions.reason ? (
          <small id="apply-why" class="muted">
            {props.actions.reason}
          </small>
        ) : (
          <small class="muted">
            {wizard
              ? "Saving syncs the pupils you chose, then ends last year: its classes and leavers move to the archive, with their history."
              : "Applying counts as your Sync Now. The roster is read again, so anything changed since this preview is included."}
          </small>
        )}
      </form>
    </article>
  );
}

export function RunPage(props: RunPageProps) {
  const { run } = props;
  // A preview being prepared replaces itself every second until it is ready.
  const preparing = run.dryRun && run.status === "fetching";
  const poll = preparing ? { "hx-get": `/sync/runs/${run.id}`, "hx-trigger": "every 1s", "hx-swap": "outerHTML" } : {};
  return (
    <section id="run" {...poll}>
      <p>
        <a href="/sync">Roster Sync Status</a> › <a href="/sync/history">Import history</a> › {run.dryRun ? "Preview" : "Run"}
      </p>
      <h1>
        {run.dryRun ? "Preview" : `${wordsFor(TRIGGER_WORDS, run.trigger)} sync`} of {formatWhen(run.createdAt, props.timeZone)}
      </h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.problem ? <Notice kind="error">{props.problem}</Notice> : null}
      {preparing ? (
        <div aria-live="polite">
          <p>Reading your roster and working out what would change. Nothing is changed by a preview.</p>
          <progress aria-label="Preview progress"></progress>
        </div>
      ) : null}
      {props.preview ? <PreviewBox run={run} actions={props.preview} /> : null}
      <p>
        <StatusBadge status={run.status} /> {run.dryRun ? "Preview only: nothing was changed." : `Duration ${duration(run)}.`}
        {run.undoneAt ? ` Undone on ${formatWhen(run.undoneAt, props.timeZone)}.` : ""} {readWords(run.readMode, run.readReason)}
      </p>
      {isActive(run) ? (
        <p>
          This sync is still going; <a href="/sync">follow it on the Sync page</a>.
        </p>
      ) : null}
      {run.holdReason ? <HoldReasons text={run.holdReason} preview={run.dryRun} /> : null}
      {run.errorMessage ? <Notice kind="error">{run.errorMessage}</Notice> : null}
      <CountsTable counts={run.counts} caption="Records by review status" speech={props.valueContext.speech} />
      <OutOfScopeNote run={run} />
      {props.canAct && run.status === "held" ? <HeldRunActions runId={run.id} /> : null}
      {props.canUndo ? (
        <form method="post" action={`/sync/runs/${run.id}/undo`}>
          <button type="submit" class="secondary" data-confirm="Undo this sync? Everything it changed is put back as it was before.">
            Undo this sync
          </button>
        </form>
      ) : null}

      <h2 id="problems">Problems</h2>
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
              <caption>{listCaption(props.listsFrom.problems, props.moreProblems, `${props.problems.length} problems`, "Problems in the roster")}</caption>
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
          <ListPager run={run.id} list="problems" from={props.listsFrom} lastId={props.problems.at(-1)?.id} more={props.moreProblems} />
        </>
      )}

      <h2 id="changes">Changes to learners</h2>
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
              <caption>{listCaption(props.listsFrom.changes, props.moreChanges, `${props.changes.length} changed learners`, "Changed learners")}</caption>
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
                    <td>{change.status === "Matched" && change.action === "restore" ? RETURNING : wordsFor(ACTION_WORDS, change.action)}</td>
                    <td>
                      <ChangeList after={change.after} context={props.valueContext} />
                      {change.status === "Matched" || change.status === "May match" ? (
                        <MatchReason explanation={change.explanation as ItemExplanation | null} />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ListPager run={run.id} list="changes" from={props.listsFrom} lastId={props.changes.at(-1)?.id} more={props.moreChanges} />
        </>
      )}
    </section>
  );
}
