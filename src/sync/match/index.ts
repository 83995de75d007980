/**
 * Identity matching (ARCHITECTURE.md, "Review statuses"; src/sync/match/README.md): a pure function from incoming
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
import type { Explanation, FieldContribution, LearnerMatcher, MatchInput, MatchResult } from "./types.ts";

export type { Explanation, FieldContribution };
import { PACK_BASE } from "../../lib/compact/pack.ts";
import { BLOCKING_RULES, candidatePairs, directPairs } from "./blocking.ts";
import { COMPARISONS, NULL_LEVEL, type PairLevel } from "./comparisons.ts";
import { type Dictionaries, encode, type Encoded, fieldsOnBothSides, Strings } from "./encode.ts";
import { identifierPairs, TIERS } from "./identifiers.ts";
import { CandidateLevels, compareInto, comparersFor, type Model, train } from "./model.ts";
import { NameSimilarity } from "./similarity.ts";

export type { MatchInput } from "./types.ts";

export interface MatcherOptions {
  /** Pairs at or above this probability are May match; below, New. */
  mayMatchProbability?: number;
  /** Shown as the "very likely" line on the waterfall (auto-accept uses its own setting). */
  likelyProbability?: number;
  seed?: number;
}

/** The twins guard's line in a waterfall: a weight no pair can make up (the score itself is -Infinity, which JSON cannot carry). */
const NEVER_MERGED = -99;

const logit = (p: number) => Math.log2(p / (1 - p));
const IDENTIFIER_WORDS = { upn: "UPN", stateId: "state id", studentNumber: "student number", sourceId: "source id" } as const;

export function matchRecords(incoming: readonly MatchInput[], existing: readonly MatchInput[], options: MatcherOptions = {}): MatchResult[] {
  const mayMatch = logit(options.mayMatchProbability ?? 0.5);
  const likely = logit(options.likelyProbability ?? 0.99);
  const thresholds = { matched: likely, mayMatch };
  const results: (MatchResult | undefined)[] = new Array(incoming.length);

  // 1. Strong identifiers, confirmed, on the records as they are.
  const identified = identifierPairs(incoming, existing);
  const settledIncoming = new Uint8Array(incoming.length);
  const settledExisting = new Uint8Array(existing.length);
  // One explanation per tier, shared: a million Matched children need not carry a million copies.
  const explanations = TIERS.map(({ identifier, former }): Explanation => {
    const words = IDENTIFIER_WORDS[identifier];
    return {
      tier: "exact",
      identifier: words,
      fields: [
        { field: identifier, level: "exact", label: `Same ${words}${former ? " (a former UPN)" : ""}`, weight: 0 },
        { field: "dateOfBirth", level: "exact", label: "Same date of birth", weight: 0 },
        { field: "names", level: "exact", label: "Same names", weight: 0 },
      ],
      thresholds,
    };
  });
  for (let row = 0; row < incoming.length; row++) {
    const match = identified.existingOf[row]!;
    if (match < 0) continue;
    settledIncoming[row] = 1;
    settledExisting[match] = 1;
    const explanation = explanations[identified.tierOf[row]!]!;
    results[row] = { incomingId: incoming[row]!.id, status: "Matched", existingId: identified.existingIds[match]!, probability: 1, explanation };
  }

  // Only the records left are encoded: row r of `left` is incoming record leftRows[r].
  const leftRows = unsettledRows(settledIncoming);
  const rightRows = unsettledRows(settledExisting);
  const dictionaries: Dictionaries = { names: new Strings() };
  const leftRecords = Array.from(leftRows, (row) => incoming[row]!);
  const rightRecords = Array.from(rightRows, (row) => existing[row]!);
  const optional = fieldsOnBothSides(leftRecords, rightRecords);
  const left = encode(leftRecords, dictionaries, optional);
  const right = encode(rightRecords, dictionaries, optional);
  const similarity = new NameSimilarity(dictionaries.names);
  const none = (size: number) => new Uint8Array(size);

  // 2. Candidates for the rest: pairs exact on names and birthday or on an identifier (unique
  // both ways), and for the rows without one, the blocking rules. A model trained on them scores each.
  const blockedIncoming = none(left.size);
  const blockedExisting = none(right.size);
  const candidates = directPairs(left, right, similarity, blockedIncoming, blockedExisting);
  candidates.append(candidatePairs(left, right, similarity, blockedIncoming, blockedExisting, BLOCKING_RULES));
  if (candidates.length) {
    const comparers = comparersFor(left, right, similarity);
    const candidateLevels = new CandidateLevels(COMPARISONS, comparers, candidates);
    const model = train(left, right, candidates, similarity, comparers, candidateLevels, { seed: options.seed });
    const weights = new Float64Array(candidates.length);
    const levels = new Int8Array(model.comparisons.length);
    for (let index = 0; index < candidates.length; index++) {
      const swapped = candidateLevels.levelsOf(index, model.weights, levels);
      weights[index] = weigh(model, left, candidates.incoming[index]!, levels, swapped);
    }

    // 3. One to one, best first. Each result works out its waterfall only when it is read.
    const explain = (a: number, b: number, probability: number): Explanation => {
      const scored = score(model, comparers, left, a, b);
      return {
        tier: "probabilistic",
        prior: round(model.prior),
        fields: scored.fields,
        total: round(scored.total),
        probability,
        thresholds,
        ...(scored.swapped ? { namesSwapped: true } : {}),
      };
    };
    const takenLeft = none(left.size);
    const takenRight = none(right.size);
    for (const index of bestFirst(weights, mayMatch)) {
      const a = candidates.incoming[index]!;
      const b = candidates.existing[index]!;
      if (takenLeft[a] || takenRight[b]) continue;
      takenLeft[a] = 1;
      takenRight[b] = 1;
      const probability = 1 / (1 + 2 ** -weights[index]!);
      results[leftRows[a]!] = new ProbableMatch(incoming[leftRows[a]!]!.id, existing[rightRows[b]!]!.id, probability, explain, a, b);
    }
  }
  return incoming.map((record, index) => results[index] ?? { incomingId: record.id, status: "New" });
}

/**
 * A May match. Its explanation (eight labelled contributions) is worked out when read, so a
 * million of them cost a few numbers each until the review screen or the plan asks. The pair's
 * rows are kept as one number beside one explainer shared by the whole run, not in a closure
 * per match.
 */
class ProbableMatch implements MatchResult {
  readonly status = "May match";
  readonly #explain: (a: number, b: number, probability: number) => Explanation;
  /** The incoming and the existing row, packed (src/lib/compact/pack.ts). */
  readonly #rows: number;
  constructor(
    readonly incomingId: string,
    readonly existingId: string,
    readonly probability: number,
    explain: (a: number, b: number, probability: number) => Explanation,
    a: number,
    b: number,
  ) {
    this.#explain = explain;
    this.#rows = a * PACK_BASE + b;
  }
  get explanation(): Explanation {
    return this.#explain(Math.floor(this.#rows / PACK_BASE), this.#rows % PACK_BASE, this.probability);
  }
  toJSON() {
    return { incomingId: this.incomingId, status: this.status, existingId: this.existingId, probability: this.probability, explanation: this.explanation };
  }
}

/**
 * Indexes of the weights at or above `floor`, highest first (ties by index). Sorted natively
 * as packed numbers (weight to 1/1024 of a bit, then index), not through a comparator.
 */
function bestFirst(weights: Float64Array, floor: number): Float64Array {
  // A twin guard's weight is minus infinity: never taken, whatever the floor.
  const taken = (weight: number) => weight >= floor && weight > Number.NEGATIVE_INFINITY;
  let above = 0;
  for (let index = 0; index < weights.length; index++) if (taken(weights[index]!)) above++;
  const keys = new Float64Array(above);
  for (let index = 0, at = 0; index < weights.length; index++) if (taken(weights[index]!)) keys[at++] = -Math.round(weights[index]! * 1024) * 2 ** 32 + index;
  keys.sort();
  for (let at = 0; at < keys.length; at++) keys[at] = ((keys[at]! % 2 ** 32) + 2 ** 32) % 2 ** 32;
  return keys;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** "Same given name (an uncommon name)": made once per label, not once per pair. */
const tfLabels = new Map<string, string>();
function tfLabel(label: string, uncommon: boolean): string {
  const key = `${uncommon ? "+" : "-"}${label}`;
  let found = tfLabels.get(key);
  if (!found) tfLabels.set(key, (found = `${label}${uncommon ? " (an uncommon name)" : " (a common name)"}`));
  return found;
}

function unsettledRows(settled: Uint8Array): Int32Array {
  const rows = new Int32Array(settled.length - settled.reduce((total, value) => total + value, 0));
  let at = 0;
  for (let row = 0; row < settled.length; row++) if (!settled[row]) rows[at++] = row;
  return rows;
}

/** A pair's weight and its waterfall: the prior, then each field's level and contribution. */
export function score(
  model: Model,
  comparers: PairLevel[],
  incoming: Encoded,
  a: number,
  b: number,
): { total: number; fields: FieldContribution[]; swapped: boolean } {
  const fields: FieldContribution[] = [];
  const levels = new Int8Array(model.comparisons.length);
  const swapped = compareInto(model, comparers, a, b, levels);
  return { total: weigh(model, incoming, a, levels, swapped, fields), fields, swapped };
}

/**
 * A pair's total weight from its levels; with `fields`, also its waterfall. The first pass
 * over millions of candidates asks only for the total: a number, one reused `levels` array,
 * no labels and no object per pair.
 */
function weigh(model: Model, incoming: Encoded, a: number, levels: Int8Array, swapped: boolean, fields?: FieldContribution[]): number {
  let total = model.prior + (swapped ? -1 : 0);
  // The twins guard, from the levels' flags: how many comparisons sit at a "same" level, and whether one sits at a "different" one.
  let twinsSame = 0;
  let twinsDifferent = false;
  const comparisons = model.comparisons;
  for (let c = 0; c < comparisons.length; c++) {
    const level = levels[c]!;
    if (level === NULL_LEVEL) continue;
    const spec = comparisons[c]!;
    const levelSpec = spec.levels[level]!;
    let weight = model.weights[c]![level]!;
    let adjustment = 0;
    if (levelSpec.tf && spec.name) {
      // Agreeing on a rare name is stronger evidence than agreeing on "Smith".
      const name = (spec.name === "given") !== swapped ? incoming.given[a]! : incoming.family[a]!;
      adjustment = Math.max(-6, Math.min(8, Math.log2(model.exactNameU[spec.name] / model.nameFrequency[name]!)));
      weight += adjustment;
    }
    const kind = levelSpec.kind;
    if (levelSpec.twins === "same") twinsSame++;
    else if (levelSpec.twins === "different") twinsDifferent = true;
    total += weight;
    if (fields)
      fields.push({
        field: spec.field,
        level: kind,
        label: Math.abs(adjustment) >= 1 ? tfLabel(levelSpec.label, adjustment > 0) : levelSpec.label,
        weight: round(weight),
      });
  }
  if (swapped) fields?.push({ field: "nameOrder", level: "swapped", label: "Given and family names swapped", weight: -1 });
  // Twins: same birthday, family name and school, different given names. Never the same child.
  if (model.twinsSameComparisons > 0 && twinsSame === model.twinsSameComparisons && twinsDifferent && !swapped) {
    fields?.push({
      field: "twins",
      level: "guard",
      label: "Same date of birth and family name but a different given name: twins or siblings, never merged",
      weight: NEVER_MERGED,
    });
    total = Number.NEGATIVE_INFINITY;
  }
  return total;
}

export function createMatcher(options: MatcherOptions = {}): LearnerMatcher {
  return (incoming, existing) => matchRecords(incoming, existing, options);
}
