import type { RunRecord } from "../../src/run-record.ts";
import { Pager } from "../components/pager.tsx";
import { duration, formatWhen, StatusBadge } from "./parts.tsx";
import { ENTITY_WORDS, readKindWords, TRIGGER_WORDS, wordsFor } from "../../src/roster/labels.ts";

type Day = { day: string; succeeded: number; failed: number; other: number };

/** Runs per day as bars (succeeded, failed, other), with the same numbers in a table for screen readers. */
function RunsChart(props: { days: Day[] }) {
  const height = 80;
  const barWidth = 10;
  const gap = 4;
  const most = Math.max(1, ...props.days.map((day) => day.succeeded + day.failed + day.other));
  const scale = (n: number) => (n / most) * (height - 10);
  return (
    <figure>
      <svg
        width={props.days.length * (barWidth + gap)}
        height={height}
        viewBox={`0 0 ${props.days.length * (barWidth + gap)} ${height}`}
        aria-hidden="true"
        focusable="false"
      >
        {props.days.map((day, index) => {
          const x = index * (barWidth + gap);
          const ok = scale(day.succeeded);
          const bad = scale(day.failed);
          const other = scale(day.other);
          return (
            <g>
              <rect x={x} y={height - ok} width={barWidth} height={ok} fill="#1d6b34" />
              <rect x={x} y={height - ok - bad} width={barWidth} height={bad} fill="#a1221b" />
              <rect x={x} y={height - ok - bad - other} width={barWidth} height={other} fill="#8a5300" />
            </g>
          );
        })}
      </svg>
      <figcaption>
        Runs per day over the last {props.days.length} days: green succeeded, red failed, amber held, cancelled or planned.{" "}
        {props.days.reduce((sum, day) => sum + day.succeeded, 0)} succeeded and {props.days.reduce((sum, day) => sum + day.failed, 0)} failed in all.
      </figcaption>
    </figure>
  );
}

/** What a run changed, entity by entity ("Learners: 600 New, 2 Synced"): one line each, never one sum. */
function Changed(props: { counts: RunRecord["counts"] }) {
  if (!props.counts) return <>—</>;
  const lines = Object.entries(props.counts)
    .map(([entity, byStatus]) => {
      const parts = CHANGING_STATUSES.filter((status) => (byStatus[status] ?? 0) > 0).map((status) => `${byStatus[status]!.toLocaleString("en")} ${status}`);
      return parts.length ? `${wordsFor(ENTITY_WORDS, entity)}: ${parts.join(", ")}` : null;
    })
    .filter((line): line is string => line !== null);
  if (!lines.length) return <>No changes</>;
  return (
    <ul class="plain">
      {lines.map((line) => (
        <li>{line}</li>
      ))}
    </ul>
  );
}

const CHANGING_STATUSES = ["New", "Synced", "Matched", "May match", "Desynced"] as const;

export function HistoryPage(props: { rows: RunRecord[]; total: number; page: number; pageSize: number; days: Day[]; timeZone: string }) {
  return (
    <section>
      <p>
        <a href="/sync">Roster Sync Status</a> › Import history
      </p>
      <h1>Import history</h1>
      {props.total === 0 ? (
        <p>No syncs yet. Each sync, scheduled or started by hand, is listed here with what it changed.</p>
      ) : (
        <>
          <RunsChart days={props.days} />
          <div class="table-scroll">
            <table>
              <caption>
                {props.total} {props.total === 1 ? "sync" : "syncs"}, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Read</th>
                  <th scope="col">Status</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Changes</th>
                  <th scope="col" class="number">
                    Problems
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.rows.map((run) => (
                  <tr>
                    <td>
                      <a href={`/sync/runs/${run.id}`}>{formatWhen(run.createdAt, props.timeZone)}</a>
                    </td>
                    <td>{run.dryRun ? "Preview" : wordsFor(TRIGGER_WORDS, run.trigger)}</td>
                    <td>{readKindWords(run.readMode)}</td>
                    <td>
                      <StatusBadge status={run.status} />
                    </td>
                    <td>{duration(run)}</td>
                    <td>
                      <Changed counts={run.counts} />
                    </td>
                    <td class="number">{run.problemCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={props.page} pageSize={props.pageSize} total={props.total} baseUrl="/sync/history" />
        </>
      )}
    </section>
  );
}
