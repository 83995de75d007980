/**
 * A match explanation drawn as a waterfall: each field's level and how much it moved the
 * score, from the prior to the total, against the two thresholds. The table is the content
 * (screen readers read it); the bars only illustrate it.
 */

import type { Explanation } from "../../src/sync/match/types.ts";
import type { ItemExplanation } from "../../src/sync/reconcile/types.ts";

const FIELD_NAMES: Record<string, string> = {
  givenName: "Given name",
  familyName: "Family name",
  dateOfBirth: "Date of birth",
  yearGroup: "Year group",
  yearForAge: "Year group for age",
  gender: "Gender",
  school: "School",
  email: "Email",
  upn: "UPN",
  stateId: "State ID",
  studentNumber: "Student number",
  postcode: "Postcode",
  address: "Address",
  identifier: "School identifier",
  nameOrder: "Name order",
  twins: "Twins check",
};

/** The matcher's explanation an item carries, itself or inside an automatic acceptance; none for reconcile's own reasons. */
export function asExplanation(value: ItemExplanation | null | undefined): Explanation | null {
  if (!value) return null;
  if ("tier" in value) return value;
  return "match" in value ? (value.match ?? null) : null;
}

const WIDTH = 160;

function Bar(props: { weight: number; scale: number }) {
  const half = WIDTH / 2;
  const length = Math.min(half, Math.abs(props.weight) * props.scale);
  const x = props.weight >= 0 ? half : half - length;
  return (
    <svg width={WIDTH} height="14" viewBox={`0 0 ${WIDTH} 14`} aria-hidden="true" focusable="false" class="waterfall-bar">
      <line x1={half} y1="0" x2={half} y2="14" stroke="#6b7280" stroke-width="1" />
      <rect x={x} y="2" width={Math.max(1, length)} height="10" fill={props.weight >= 0 ? "#1d6b34" : "#a1221b"} />
    </svg>
  );
}

const signed = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(1)}`;

export function Waterfall(props: { explanation: Explanation; caption: string }) {
  const fields = props.explanation.fields ?? [];
  const largest = Math.max(1, ...fields.map((field) => Math.abs(field.weight)), Math.abs(props.explanation.prior ?? 0));
  const scale = WIDTH / 2 / largest;
  const { thresholds, probability, total } = props.explanation;
  return (
    <table class="waterfall">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">How it compared</th>
          <th scope="col" class="number">
            Evidence
          </th>
          <th scope="col">
            <span class="visually-hidden">Bar</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.explanation.prior !== undefined ? (
          <tr>
            <th scope="row">Starting point</th>
            <td>How likely any two records are the same child</td>
            <td class="number">{signed(props.explanation.prior)}</td>
            <td>
              <Bar weight={props.explanation.prior} scale={scale} />
            </td>
          </tr>
        ) : null}
        {fields.map((field) => (
          <tr>
            <th scope="row">{FIELD_NAMES[field.field] ?? field.field}</th>
            <td>{field.label ?? field.level ?? ""}</td>
            <td class="number">{signed(field.weight)}</td>
            <td>
              <Bar weight={field.weight} scale={scale} />
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td>
            {probability !== undefined ? `${(probability * 100).toFixed(1)}% likely the same child. ` : ""}
            {thresholds?.matched !== undefined && thresholds.mayMatch !== undefined
              ? `Matched at ${signed(thresholds.matched)} or more; May match from ${signed(thresholds.mayMatch)}.`
              : ""}
          </td>
          <td class="number">{total !== undefined ? signed(total) : ""}</td>
          <td></td>
        </tr>
      </tfoot>
    </table>
  );
}

/** Why a Matched or May match row was paired, in words: the matcher's waterfall, or the rule or answer that decided it. */
export function MatchReason(props: { explanation: ItemExplanation | null | undefined }) {
  const value = props.explanation;
  if (!value) return null;
  const match = asExplanation(value);
  const said =
    "matchedOn" in value
      ? `Same ${value.matchedOn}.`
      : "confirmedByAdmin" in value
        ? "An admin confirmed they are the same."
        : "autoAccepted" in value
          ? "Linked automatically: very likely the same, under your organization's setting."
          : null;
  return (
    <details>
      <summary>Why</summary>
      {said ? <p>{said}</p> : null}
      {match ? <Waterfall explanation={match} caption="Why Rollcall paired these records" /> : null}
    </details>
  );
}
