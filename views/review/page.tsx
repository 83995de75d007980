import type { PendingPair } from "../../src/review/pairs.ts";
import { Notice } from "../layout.tsx";
import { changesInWords, learnerWords, type Speech, type ValueContext, yearGroupWords } from "../../src/roster/labels.ts";
import { asExplanation, Waterfall } from "./waterfall.tsx";

const shown = (value: unknown) => (value === null || value === undefined || value === "" ? "—" : String(value));

function Differences(props: { pair: PendingPair; context: ValueContext }) {
  const lines = changesInWords(props.pair.changes, props.context);
  if (!lines.length) return <p>The two records agree on every field Rollcall keeps.</p>;
  return (
    <table class="differences">
      <caption>Where the records differ</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">In Rollcall</th>
          <th scope="col">From the school's system</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr>
            <th scope="row">{line.field}</th>
            <td>{line.before}</td>
            <td>{line.after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PairCard(props: { pair: PendingPair; canAnswer: boolean; context: ValueContext }) {
  const { pair } = props;
  const explanation = asExplanation(pair.explanation);
  const id = `pair-${pair.itemId}`;
  return (
    <article id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        Is {pair.label} the same child as {pair.existing.name}?
      </h2>
      <p>
        In Rollcall: {pair.existing.name}, born {shown(pair.existing.dateOfBirth)},{" "}
        {yearGroupWords(pair.existing.yearGroupCode, pair.existing.yearGroup, props.context.speech)}
        {pair.existing.school ? `, ${pair.existing.school}` : ""}
        {pair.existing.status === "archived" ? " (in the archive from an earlier year)" : ""}.
      </p>
      <Differences pair={pair} context={props.context} />
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

/** The answered pair's card, with the count of pairs left and the apply button (swapped out of band so the page stays true). */
export function AnsweredCard(props: {
  itemId: string;
  answer: "accepted" | "rejected";
  left: PairCount;
  answered: number;
  previewRunId: string | null;
  speech: Speech;
}) {
  return (
    <>
      <div id={`pair-${props.itemId}`}>
        <Notice kind="success">
          {props.answer === "accepted"
            ? "Linked: applying your answers keeps this child's history and updates their record."
            : `Kept apart: applying your answers adds the incoming record as a new ${learnerWords(props.speech).one}, and you will not be asked again.`}
        </Notice>
      </div>
      <PairsLeft left={props.left} speech={props.speech} oob />
      <ApplyAnswers answered={props.answered} previewRunId={props.previewRunId} oob />
    </>
  );
}

/** Pairs still waiting, counted up to a cap: `more` says there are more than `count`. */
export interface PairCount {
  count: number;
  more: boolean;
}

function PairsLeft(props: { left: PairCount; speech: Speech | undefined; oob?: boolean }) {
  const { count, more } = props.left;
  const { one, many } = learnerWords(props.speech);
  return (
    <strong id="pairs-left" hx-swap-oob={props.oob ? "true" : undefined}>
      {count === 0
        ? `No ${one} waits`
        : more
          ? `More than ${count.toLocaleString("en")} ${many} wait`
          : `${count.toLocaleString("en")} ${count === 1 ? `${one} waits` : `${many} wait`}`}
    </strong>
  );
}

/** How answers reach the roster: with the preview that found the pairs, or with a sync of their own. */
function ApplyAnswers(props: { answered: number; previewRunId: string | null; oob?: boolean }) {
  const oob = props.oob ? "true" : undefined;
  if (props.previewRunId)
    return (
      <p id="apply-answers" hx-swap-oob={oob}>
        These pairs come from a preview. When you have answered them, <a href={`/sync/runs/${props.previewRunId}`}>go back to the preview</a> and apply it.
      </p>
    );
  return (
    <form id="apply-answers" hx-swap-oob={oob} method="post" action="/review/apply">
      <button type="submit" disabled={props.answered === 0}>
        Apply your answers
      </button>{" "}
      <small class="muted">
        {props.answered === 0
          ? "Answer a pair first."
          : `${props.answered} ${props.answered === 1 ? "answer is" : "answers are"} not applied yet. Applying runs a sync now; it does not use up Sync Now.`}
      </small>
    </form>
  );
}

export interface ReviewPageProps {
  /** One page of the pairs, in the order of the incoming learner's name. */
  pairs: PendingPair[];
  left: PairCount;
  /** The key after this page's last pair, when more pairs follow it. */
  next: string | null;
  /** This page comes after the first. */
  continued: boolean;
  pageSize: number;
  canAnswer: boolean;
  answered: number;
  previewRunId: string | null;
  /** How to say values: grade words and school names. */
  context: ValueContext;
  notice?: string | undefined;
  problem?: string | undefined;
}

export function ReviewPage(props: ReviewPageProps) {
  const { one } = learnerWords(props.context.speech);
  return (
    <section>
      <h1>Possible matches to review</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.problem ? <Notice kind="error">{props.problem}</Notice> : null}
      {props.pairs.length === 0 ? (
        <p>Nothing to review. When a sync finds a {one} who may already be in Rollcall under a slightly different record, they wait here for you.</p>
      ) : (
        <>
          <p>
            <PairsLeft left={props.left} speech={props.context.speech} /> for your answer: the school's system has them, and Rollcall may already have them
            under a slightly different record. Linking keeps a child's history; keeping them apart adds a new {one}.
          </p>
          {props.canAnswer ? null : <p class="muted">Only your organization's admins can answer.</p>}
          <p class="muted">
            In the order of the incoming {one}'s name, {props.pageSize} to a page.
          </p>
          {props.pairs.map((pair) => (
            <PairCard pair={pair} canAnswer={props.canAnswer} context={props.context} />
          ))}
          {props.next || props.continued ? (
            <nav aria-label="Pages" class="pager">
              <ul>
                <li>{props.continued ? <a href="/review">First pairs</a> : <span class="muted">First pairs</span>}</li>
                <li>{props.next ? <a href={`/review?after=${props.next}`}>Next pairs</a> : <span class="muted">Next pairs</span>}</li>
              </ul>
            </nav>
          ) : null}
        </>
      )}
      {props.canAnswer && (props.answered > 0 || props.pairs.length > 0) ? <ApplyAnswers answered={props.answered} previewRunId={props.previewRunId} /> : null}
    </section>
  );
}
