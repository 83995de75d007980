/** Pieces the sync pages share: words for statuses, the counts table, the live status panel. */
import { REVIEW_STATUSES, type RunRecord } from "../../src/run-record.ts";
import type { Availability } from "../../src/schedule/availability.ts";
import { Notice } from "../layout.tsx";
import { ENTITY_WORDS, readWords, RUN_STATUS_WORDS, type Speech, TRIGGER_WORDS, wordsFor } from "../../src/roster/labels.ts";

const PHASE_WORDS: Record<string, string> = {
  waiting: "Starting",
  reading: "Reading the roster from your school's system",
  planning: "Working out what changed",
  planned: "Planned",
  applying: "Saving the changes",
};

export const ACTIVE_STATUSES = new Set(["fetching", "planned", "applying"]);
export const isActive = (run: RunRecord) => ACTIVE_STATUSES.has(run.status) && !run.dryRun;

export function formatWhen(date: Date | null | undefined, timeZone: string): string {
  if (!date) return "—";
  return new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(date);
}

export function duration(run: RunRecord): string {
  if (!run.finishedAt) return "—";
  const seconds = Math.max(0, Math.round((run.finishedAt.getTime() - run.createdAt.getTime()) / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Approve or cancel a held run: on the status panel and on the run's page. */
export function HeldRunActions(props: { runId: string }) {
  return (
    <div class="grid">
      <form method="post" action={`/sync/runs/${props.runId}/approve`}>
        <button type="submit">Approve and apply</button>
      </form>
      <form method="post" action={`/sync/runs/${props.runId}/cancel`}>
        <button type="submit" class="secondary">
          Cancel this sync
        </button>
      </form>
    </div>
  );
}

/**
 * Why a run waits for approval: the run keeps one reason a line. A preview is not waiting (applying
 * it is the approval), so there the same reasons are said as what to look at before applying.
 */
export function HoldReasons(props: { text: string | null; preview?: boolean }) {
  const reasons = (props.text ?? "This sync waits for an admin's approval.").split("\n").filter(Boolean);
  const lead = props.preview
    ? "Look at these before you apply: a sync that is not reviewed would wait for approval, because"
    : "This sync waits for your approval, because";
  return (
    <Notice kind="info">
      {reasons.length === 1 && !props.preview ? (
        reasons[0]
      ) : (
        <>
          {lead}:
          <ul>
            {reasons.map((reason) => (
              <li>{reason}</li>
            ))}
          </ul>
        </>
      )}
    </Notice>
  );
}

export function StatusBadge(props: { status: string }) {
  return <span class={`badge badge-${props.status}`}>{wordsFor(RUN_STATUS_WORDS, props.status)}</span>;
}

export function CountsTable(props: { counts: Record<string, Record<string, number>> | null; caption: string; speech?: Speech }) {
  if (!props.counts) return null;
  return (
    <div class="table-scroll">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Records</th>
            {REVIEW_STATUSES.map((status) => (
              <th scope="col" class="number">
                {status}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Object.entries(props.counts).map(([entity, byStatus]) => (
            <tr>
              <th scope="row">{props.speech === "gb" && entity === "learners" ? "Students" : wordsFor(ENTITY_WORDS, entity)}</th>
              {REVIEW_STATUSES.map((status) => (
                <td class="number">{(byStatus[status] ?? 0).toLocaleString("en")}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How far along a run is: reading is measured against the last run's size when there is one. */
function progressValue(run: RunRecord, expectedRecords: number | null): number | null {
  const progress = (run.progress ?? {}) as { phase?: string; recordsRead?: number };
  switch (progress.phase) {
    case "reading":
      return expectedRecords ? 5 + Math.min(60, Math.round((60 * (progress.recordsRead ?? 0)) / expectedRecords)) : null;
    case "planning":
      return 70;
    case "planned":
    case "applying":
      return 85;
    default:
      return run.status === "applying" ? 85 : 2;
  }
}

export interface StatusPanelProps {
  run: RunRecord | null;
  timeZone: string;
  expectedRecords: number | null;
  canAct: boolean;
  availability: Availability;
  pendingReviews: number;
  /** No sync has changed the roster yet: Sync Now starts with a preview. */
  firstSync: boolean;
  message?: { kind: "error" | "success" | "info"; text: string } | undefined;
}

/**
 * The latest run and what can be done now. While a run is active the panel replaces itself
 * every second (htmx polling), and stops polling once the run has ended.
 */
export function StatusPanel(props: StatusPanelProps) {
  const { run } = props;
  const active = run ? isActive(run) : false;
  const poll = active ? { "hx-get": "/sync/status", "hx-trigger": "every 1s", "hx-swap": "outerHTML" } : {};
  const progress = (run?.progress ?? {}) as { phase?: string; recordsRead?: number };
  const value = run && active ? progressValue(run, props.expectedRecords) : null;
  return (
    <section id="sync-status" aria-labelledby="sync-status-title" {...poll}>
      <h2 id="sync-status-title">Latest sync</h2>
      {props.message ? <Notice kind={props.message.kind}>{props.message.text}</Notice> : null}
      {!run ? (
        <p>No sync has run yet. Start one below once your roster source is connected.</p>
      ) : (
        <div aria-live="polite">
          <p>
            <StatusBadge status={run.status} /> {wordsFor(TRIGGER_WORDS, run.trigger)}, started {formatWhen(run.createdAt, props.timeZone)}.{" "}
            {readWords(run.readMode, run.readReason)} <a href={`/sync/runs/${run.id}`}>Details</a>
          </p>
          {active ? (
            <>
              <p>
                {PHASE_WORDS[progress.phase ?? ""] ?? "Working"}
                {progress.recordsRead ? `: ${progress.recordsRead.toLocaleString("en")} records read` : ""}…
              </p>
              {value === null ? <progress aria-label="Sync progress"></progress> : <progress aria-label="Sync progress" value={value} max={100}></progress>}
            </>
          ) : null}
          {run.status === "held" ? (
            <>
              <HoldReasons text={run.holdReason} />
              {props.canAct ? <HeldRunActions runId={run.id} /> : null}
            </>
          ) : null}
          {run.status === "failed" && run.errorMessage ? <Notice kind="error">{run.errorMessage}</Notice> : null}
          <CountsTable counts={run.counts} caption={run.status === "held" || run.dryRun ? "What this sync would change" : "What this sync found"} />
        </div>
      )}
      {props.pendingReviews ? (
        <p>
          <a href="/review">
            {props.pendingReviews} possible {props.pendingReviews === 1 ? "match waits" : "matches wait"} for your review
          </a>
          .
        </p>
      ) : null}
      {props.canAct ? <SyncActions availability={props.availability} firstSync={props.firstSync} /> : null}
    </section>
  );
}

/** Sync Now, and the preview that is always there beside it (it changes nothing, so it spends nothing). */
function SyncActions(props: { availability: Availability; firstSync: boolean }) {
  const { availability } = props;
  return (
    <div class="grid">
      <form method="post" action="/sync/now" hx-post="/sync/now" hx-target="#sync-status" hx-swap="outerHTML">
        <button type="submit" disabled={!availability.available} aria-describedby="sync-now-why">
          Sync now
        </button>
        <small id="sync-now-why" class="muted">
          {!availability.available
            ? availability.reason
            : props.firstSync
              ? "Your first sync shows you every change before anything is saved."
              : "Reads your school's system and applies the changes now. Afterwards it comes back after the next scheduled sync."}
        </small>
      </form>
      <form method="post" action="/sync/preview">
        <button type="submit" class="secondary" aria-describedby="preview-why">
          Preview changes
        </button>
        <small id="preview-why" class="muted">
          See every change a sync would make, without changing anything. A preview never uses up Sync Now.
        </small>
      </form>
    </div>
  );
}
