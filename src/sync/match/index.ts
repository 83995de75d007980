/**
 * Identity matching (DESIGN.md section 3, matching.md section 6): a pure function from incoming
 * and existing learner records to one answer per incoming record.
 *
 * 1. Matched: a strong identifier in common (UPN or former UPN, state id, student number,
 *    source id), confirmed by the same date of birth and the same names after normalisation.
 * 2. For the rest, candidate pairs from blocking rules, scored with a Fellegi-Sunter model
 *    trained on this data; pairs above the lower threshold are May match, the rest New.
 * 3. One to one: pairs are taken best first, and no existing learner is claimed twice.
 * Twins (same date of birth, family name and school; clearly different given names) are never paired.
 * No I/O, no clock: the same input gives the same answer.
 */
import type { LearnerMatcher, MatchResult } from "../reconcile/types.ts";
import { BLOCKING_RULES, type BlockingRule, candidatePairs } from "./blocking.ts";
import { NULL_LEVEL } from "./comparisons.ts";
import { type Dictionaries, encode, type Encoded, type MatchInput, Strings } from "./encode.ts";
import { compare, type Model, train } from "./model.ts";
import { NameSimilarity } from "./similarity.ts";

export type { MatchInput } from "./encode.ts";

export interface MatcherOptions {
  /** Pairs at or above this probability are May match; below, New. */
  mayMatchProbability?: number;
  /** Shown as the "very likely" line on the waterfall (auto-accept uses its own setting). */
  likelyProbability?: number;
  seed?: number;
}

export interface FieldContribution {
  field: string;
  level: string;
  label: string;
  weight: number;
}

export interface Explanation {
  tier: "exact" | "probabilistic";
  identifier?: string;
  prior?: number;
  fields: FieldContribution[];
  total?: number;
  probability?: number;
  thresholds: { matched: number; mayMatch: number };
  namesSwapped?: boolean;
}

const logit = (p: number) => Math.log2(p / (1 - p));
const IDENTIFIERS = ["upn", "stateId", "studentNumber", "sourceId"] as const;
const IDENTIFIER_WORDS = { upn: "UPN", stateId: "state id", studentNumber: "student number", sourceId: "source id" } as const;

function identifierRule(column: (typeof IDENTIFIERS)[number]): BlockingRule {
  return { name: column, existing: (data, row) => data[column][row]!, maxBlock: 3 };
}

/** Former UPNs on the existing side are matched too (a temporary UPN replaced by the real one). */
function formerUpnRule(): BlockingRule {
  return { name: "former UPN", existing: (data, row) => data.formerUpns.get(row)?.[0] ?? -1, incoming: (data, row) => data.upn[row]!, maxBlock: 3 };
}

/** Same date of birth, and both names the same (in either form), after normalisation. */
function confirmed(incoming: Encoded, a: number, existing: Encoded, b: number, similarity: NameSimilarity): boolean {
  if (incoming.dobDigits[a]! < 0 || incoming.dobDigits[a] !== existing.dobDigits[b]) return false;
  const same = (x: number, xPreferred: number, y: number, yPreferred: number, nicknames: boolean) =>
    x >= 0 && (x === y || (xPreferred >= 0 && (xPreferred === y || xPreferred === yPreferred)) || (yPreferred >= 0 && yPreferred === x) || (nicknames && y >= 0 && similarity.nicknames(x, y)));
  return (
    same(incoming.family[a]!, incoming.preferredFamily[a]!, existing.family[b]!, existing.preferredFamily[b]!, false) &&
    same(incoming.given[a]!, incoming.preferredGiven[a]!, existing.given[b]!, existing.preferredGiven[b]!, true)
  );
}

export function matchRecords(incoming: readonly MatchInput[], existing: readonly MatchInput[], options: MatcherOptions = {}): MatchResult[] {
  const mayMatch = logit(options.mayMatchProbability ?? 0.5);
  const likely = logit(options.likelyProbability ?? 0.99);
  const thresholds = { matched: likely, mayMatch };
  const dictionaries: Dictionaries = { names: new Strings(), other: new Strings() };
  const left = encode(incoming, dictionaries);
  const right = encode(existing, dictionaries);
  const similarity = new NameSimilarity(dictionaries.names);
  const settledIncoming = new Uint8Array(left.size);
  const settledExisting = new Uint8Array(right.size);
  const results: (MatchResult | undefined)[] = new Array(left.size);

  // 1. Strong identifiers, confirmed.
  for (const [column, rule] of [...IDENTIFIERS.map((name) => [name, identifierRule(name)] as const), ["upn", formerUpnRule()] as const]) {
    const pairs = candidatePairs(left, right, similarity, settledIncoming, settledExisting, [rule]);
    for (let index = 0; index < pairs.length; index++) {
      const a = pairs.incoming[index]!;
      const b = pairs.existing[index]!;
      if (settledIncoming[a] || settledExisting[b] || !confirmed(left, a, right, b, similarity)) continue;
      settledIncoming[a] = 1;
      settledExisting[b] = 1;
      const explanation: Explanation = {
        tier: "exact",
        identifier: IDENTIFIER_WORDS[column],
        fields: [
          { field: column, level: "exact", label: `Same ${IDENTIFIER_WORDS[column]}${rule.name === "former UPN" ? " (a former UPN)" : ""}`, weight: 0 },
          { field: "dateOfBirth", level: "exact", label: "Same date of birth", weight: 0 },
          { field: "names", level: "exact", label: "Same names", weight: 0 },
        ],
        thresholds,
      };
      results[a] = { incomingId: incoming[a]!.id, status: "Matched", existingId: existing[b]!.id, probability: 1, explanation };
    }
  }

  // 2. Candidates for the rest, a model trained on them, and a score for each.
  const candidates = candidatePairs(left, right, similarity, settledIncoming, settledExisting, BLOCKING_RULES);
  if (candidates.length) {
    const model = train(left, right, candidates, similarity, { seed: options.seed });
    const weights = new Float64Array(candidates.length);
    for (let index = 0; index < candidates.length; index++) weights[index] = score(model, left, candidates.incoming[index]!, right, candidates.existing[index]!, similarity).total;

    // 3. One to one, best first.
    const order = [...weights.keys()].filter((index) => weights[index]! >= mayMatch).sort((x, y) => weights[y]! - weights[x]! || x - y);
    for (const index of order) {
      const a = candidates.incoming[index]!;
      const b = candidates.existing[index]!;
      if (settledIncoming[a] || settledExisting[b]) continue;
      settledIncoming[a] = 1;
      settledExisting[b] = 1;
      const scored = score(model, left, a, right, b, similarity);
      const probability = 1 / (1 + 2 ** -scored.total);
      results[a] = {
        incomingId: incoming[a]!.id,
        status: "May match",
        existingId: existing[b]!.id,
        probability,
        explanation: { tier: "probabilistic", prior: round(model.prior), fields: scored.fields, total: round(scored.total), probability, thresholds, ...(scored.swapped ? { namesSwapped: true } : {}) } satisfies Explanation,
      };
    }
  }
  return incoming.map((record, index) => results[index] ?? { incomingId: record.id, status: "New" });
}

const round = (value: number) => Math.round(value * 100) / 100;

/** A pair's weight and its waterfall: the prior, then each field's level and contribution. */
export function score(model: Model, incoming: Encoded, a: number, existing: Encoded, b: number, similarity: NameSimilarity): { total: number; fields: FieldContribution[]; swapped: boolean } {
  const { levels, swapped } = compare(model, incoming, a, existing, b, similarity);
  let total = model.prior + (swapped ? -1 : 0);
  const fields: FieldContribution[] = [];
  let datesAgree = false;
  let familiesAgree = false;
  let schoolsAgree = false;
  let givenClearlyDifferent = false;
  model.comparisons.forEach((spec, c) => {
    const level = levels[c]!;
    if (level === NULL_LEVEL) return;
    const levelSpec = spec.levels[level]!;
    let weight = model.weights[c]![level]!;
    let label = levelSpec.label;
    if (levelSpec.tf && (spec.field === "givenName" || spec.field === "familyName")) {
      // Agreeing on a rare name is stronger evidence than agreeing on "Smith".
      const name = (spec.field === "givenName") !== swapped ? incoming.given[a]! : incoming.family[a]!;
      const u = spec.field === "givenName" ? model.exactNameU.given : model.exactNameU.family;
      const adjustment = Math.max(-6, Math.min(8, Math.log2(u / model.nameFrequency[name]!)));
      weight += adjustment;
      if (Math.abs(adjustment) >= 1) label += adjustment > 0 ? " (an uncommon name)" : " (a common name)";
    }
    if (spec.field === "dateOfBirth" && levelSpec.kind === "exact") datesAgree = true;
    if (spec.field === "familyName" && levelSpec.kind === "exact") familiesAgree = true;
    if (spec.field === "school" && levelSpec.kind === "exact") schoolsAgree = true;
    if (spec.field === "givenName" && (levelSpec.kind === "else" || levelSpec.kind === "initial" || levelSpec.kind === "soundsAlike")) givenClearlyDifferent = true;
    total += weight;
    fields.push({ field: spec.field, level: levelSpec.kind, label, weight: round(weight) });
  });
  if (swapped) fields.push({ field: "nameOrder", level: "swapped", label: "Given and family names swapped", weight: -1 });
  // Twins: same birthday, family name and school, different given names. Never the same child.
  if (datesAgree && familiesAgree && schoolsAgree && givenClearlyDifferent && !swapped) {
    fields.push({ field: "twins", level: "guard", label: "Same date of birth and family name but a different given name: twins or siblings, never merged", weight: -99 });
    total = Number.NEGATIVE_INFINITY;
  }
  return { total, fields, swapped };
}

export function createMatcher(options: MatcherOptions = {}): LearnerMatcher {
  return (incoming, existing) => matchRecords(incoming, existing, options);
}
