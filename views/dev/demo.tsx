import { Notice } from "../layout.tsx";

/** Embedded mode's demo district: move it on a day, then sync the way the nightly schedule does. */
export function DemoDistrictPage(props: { day: number; notice?: string | undefined; problem?: string | undefined }) {
  return (
    <section>
      <h1>Demo district</h1>
      <p class="muted">This page exists only in embedded mode and only for this machine.</p>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.problem ? <Notice kind="error">{props.problem}</Notice> : null}
      <p>The demo district is on day {props.day}. Each day brings a few new learners, leavers, name changes and class moves, as a real district's would.</p>
      <form method="post" action="/dev/demo/next-day">
        <button type="submit" class="secondary">
          Move the demo district on a day
        </button>
      </form>
      <p>
        A scheduled sync reads only what changed since the last sync, and reads the whole roster when a full read is due. Start one now to see which it does:
      </p>
      <form method="post" action="/dev/demo/scheduled-sync">
        <button type="submit">Run the scheduled sync now</button>
      </form>
    </section>
  );
}
