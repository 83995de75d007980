import type { PendingPair } from "../../src/review/pairs.ts";
import { Notice } from "../layout.tsx";
import { asExplanation, Waterfall } from "./waterfall.tsx";

const FIELD_NAMES: Record<string, string> = {
  givenName: "Given name",
  familyName: "Family name",
  middleName: "Middle name",
  preferredGivenName: "Preferred given name",
  preferredFamilyName: "Preferred family name",
  dateOfBirth: "Date of birth",
  gender: "Gender",
  yearGroupCode: "Year group",
  yearGroupLabel: "Year group (as the school writes it)",
  email: "Email",
  upn: "UPN",
  stateId: "State ID",
  studentNumber: "Student number",
  schoolSourceId: "School",
};

const shown = (value: unknown) => (value === null || value === undefined || value === "" ? "—" : String(value));

function Differences(props: { pair: PendingPair }) {
  const changes = props.pair.changes.filter((change) => FIELD_NAMES[change.field]);
  if (!changes.length) return <p>The two records agree on every field Rollcall keeps.</p>;
  return (
    <table>
      <caption>Where the records differ</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">In Rollcall</th>
          <th scope="col">From the school's system</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr>
            <th scope="row">{FIELD_NAMES[change.field]}</th>
            <td>{shown(change.before)}</td>
            <td>{shown(change.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PairCard(props: { pair: PendingPair; canAnswer: boolean }) {
  const { pair } = props;
  const explanation = asExplanation(pair.explanation);
  const id = `pair-${pair.itemId}`;
  return (
    <article id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        Is {pair.label} the same child as {pair.existing.name}?
      </h2>
      <p>
        In Rollcall: {pair.existing.name}, born {shown(pair.existing.dateOfBirth)}, {shown(pair.existing.yearGroup)}
        {pair.existing.school ? `, ${pair.existing.school}` : ""}
        {pair.existing.status === "archived" ? " (in the archive from an earlier year)" : ""}.
      </p>
      <Differences pair={pair} />
      {explanation ? <Waterfall explanation={explanation} caption="Why Rollcall thinks they may be the same child" /> : null}
      {props.canAnswer ? (
        <div class="grid">
          <form method="post" action={`/review/${pair.itemId}/accept`} hx-post={`/review/${pair.itemId}/accept`} hx-target={`#${id}`} hx-swap="outerHTML">
            <button type="submit">Same child: link them</button>
          </form>
          <form method="post" action={`/review/${pair.itemId}/reject`} hx-post={`/review/${pair.itemId}/reject`} hx-target={`#${id}`} hx-swap="outerHTML">
            <button type="submit" class="secondary">
              Different children
            </button>
          </form>
        </div>
      ) : null}
    </article>
  );
}

export function AnsweredCard(props: { itemId: string; answer: "accepted" | "rejected" }) {
  return (
    <div id={`pair-${props.itemId}`}>
      <Notice kind="success">
        {props.answer === "accepted"
          ? "Linked: the next sync keeps this child's history and updates their record."
          : "Kept apart: the next sync adds the incoming record as a new learner and will not ask again."}
      </Notice>
    </div>
  );
}

export function ReviewPage(props: { pairs: PendingPair[]; canAnswer: boolean; notice?: string | undefined }) {
  return (
    <section>
      <h1>Possible matches to review</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.pairs.length === 0 ? (
        <p>Nothing to review. When a sync finds a learner who may already be in Rollcall under a slightly different record, they wait here for you.</p>
      ) : (
        <>
          <p>
            {props.pairs.length} {props.pairs.length === 1 ? "learner" : "learners"} from the school's system may already be in Rollcall. Linking keeps a
            child's history; keeping them apart adds a new learner. Your answers are used by the next sync (<a href="/sync">start one</a>).
          </p>
          {props.canAnswer ? null : <p class="muted">Only your organization's admins can answer.</p>}
          {props.pairs.map((pair) => (
            <PairCard pair={pair} canAnswer={props.canAnswer} />
          ))}
        </>
      )}
    </section>
  );
}
