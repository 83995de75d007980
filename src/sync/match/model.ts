/**
 * The Fellegi-Sunter model in the manner of Splink (matching.md 1.1, 6.3): u from random
 * pairs, m by expectation-maximisation in sessions blocked on one rule at a time (a session
 * learns nothing about the fields its rule fixed), the prior from pairs that agree on
 * everything, and the defaults in comparisons.ts wherever the data is too thin.
 */
import { scratchInt8 } from "../../lib/compact/scratch.ts";
import { COMPARISONS, type ComparisonSpec, compileComparison, NULL_LEVEL, type PairLevel } from "./comparisons.ts";
import type { Encoded } from "./encode.ts";
import type { Pairs } from "./blocking.ts";
import type { NameSimilarity } from "./similarity.ts";

export interface Model {
  comparisons: ComparisonSpec[];
  /** weights[c][level] = log2(m / u). */
  weights: number[][];
  m: number[][];
  u: number[][];
  /** log2 of the prior odds that a random pair is the same child. */
  prior: number;
  /** How often each name occurs, for the term-frequency adjustment. */
  nameFrequency: Float64Array;
  /** u of each name's term-frequency level, the average a rare or common name is measured against. */
  exactNameU: { given: number; family: number };
  /** How many comparisons have a level flagged twins "same": a pair at all of them (and a "different" one) is twins. */
  twinsSameComparisons: number;
}

/** A deterministic stream of numbers in [0, 1), so a run is reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4_294_967_296;
  };
}

/** Pseudo-counts given to the defaults: a few hundred pairs of evidence outweigh them. */
const DEFAULT_WEIGHT = 50;

const isName = (spec: ComparisonSpec) => spec.name !== undefined;

/**
 * Each comparison's level for a pair as it stands into `levels`, and the names' levels read
 * crossed (given against family) into `crossed`; false when the crossed reading was not
 * needed. It is not when either name is already the same: crossing could only win if that
 * record's given and family names were alike too ("Lee Lee"), and skipping it spares two of
 * the four name comparisons for most candidates from blocking (same birthday and surname).
 */
function readBothOrders(comparisons: ComparisonSpec[], comparers: PairLevel[], a: number, b: number, levels: Int8Array, crossed: Int8Array): boolean {
  let aNameIsExact = false;
  for (let c = 0; c < comparisons.length; c++) {
    levels[c] = comparers[c]!(a, b, false);
    if (isName(comparisons[c]!) && comparisons[c]!.levels[levels[c]!]?.kind === "exact") aNameIsExact = true;
  }
  if (aNameIsExact) return false;
  for (let c = 0; c < comparisons.length; c++) if (isName(comparisons[c]!)) crossed[c] = comparers[c]!(a, b, true);
  return true;
}

/**
 * Given and family names swapped is a common data-entry error (matching.md 5.1): the crossed
 * reading replaces the names' levels in `levels` when it is clearly better under `weights`.
 * Returns whether it did. `crossed` is read from `crossedAt` on.
 */
function preferCrossed(comparisons: ComparisonSpec[], weights: number[][], levels: Int8Array, crossed: Int8Array, crossedAt: number): boolean {
  let straight = 0;
  let across = 0;
  for (let c = 0; c < comparisons.length; c++) {
    if (!isName(comparisons[c]!)) continue;
    if (levels[c] !== NULL_LEVEL) straight += weights[c]![levels[c]!]!;
    if (crossed[crossedAt + c] !== NULL_LEVEL) across += weights[c]![crossed[crossedAt + c]!]!;
  }
  if (across <= straight + 4) return false;
  for (let c = 0; c < comparisons.length; c++) if (isName(comparisons[c]!)) levels[c] = crossed[crossedAt + c]!;
  return true;
}

/** Each comparison's level for a pair, into `levels`; returns whether the names were read swapped. */
export function compareInto(model: Pick<Model, "comparisons" | "weights">, comparers: PairLevel[], a: number, b: number, levels: Int8Array): boolean {
  // The crossed names' levels, by comparison, in a reused array: scoring runs one pair at a time.
  const crossed = scratchInt8(model.comparisons.length);
  if (!readBothOrders(model.comparisons, comparers, a, b, levels, crossed)) return false;
  return preferCrossed(model.comparisons, model.weights, levels, crossed, 0);
}

/**
 * The levels of every candidate pair, read once in both name orders. Training reads them
 * with the default weights and scoring with the trained ones, so no pair is compared twice.
 */
export class CandidateLevels {
  readonly width: number;
  private readonly straight: Int8Array;
  private readonly crossed: Int8Array;
  /** 1 where the crossed reading was taken. */
  private readonly readCrossed: Uint8Array;

  constructor(
    readonly comparisons: ComparisonSpec[],
    comparers: PairLevel[],
    candidates: Pairs,
  ) {
    const width = (this.width = comparisons.length);
    this.straight = new Int8Array(candidates.length * width);
    this.crossed = new Int8Array(candidates.length * width);
    this.readCrossed = new Uint8Array(candidates.length);
    const levels = new Int8Array(width);
    const crossed = new Int8Array(width);
    for (let index = 0; index < candidates.length; index++) {
      if (readBothOrders(comparisons, comparers, candidates.incoming[index]!, candidates.existing[index]!, levels, crossed)) {
        this.readCrossed[index] = 1;
        this.crossed.set(crossed, index * width);
      }
      this.straight.set(levels, index * width);
    }
  }

  /** Candidate `index`'s levels under `weights`, into `levels`; returns whether the names were read swapped. */
  levelsOf(index: number, weights: number[][], levels: Int8Array): boolean {
    // Copied by hand: a `subarray` view is an object, and this runs for every candidate.
    for (let c = 0, at = index * this.width; c < this.width; c++, at++) levels[c] = this.straight[at]!;
    if (!this.readCrossed[index]) return false;
    return preferCrossed(this.comparisons, weights, levels, this.crossed, index * this.width);
  }
}

/** The comparisons bound to two encoded sides (see compileComparison). */
export function comparersFor(incoming: Encoded, existing: Encoded, similarity: NameSimilarity, comparisons = COMPARISONS): PairLevel[] {
  return comparisons.map((spec) => compileComparison(spec, incoming, existing, similarity));
}

function probabilities(counts: number[], defaults: number[], pseudo: number): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count, level) => (count + pseudo * defaults[level]!) / (total + pseudo));
}

export function train(
  incoming: Encoded,
  existing: Encoded,
  candidates: Pairs,
  similarity: NameSimilarity,
  comparers: PairLevel[],
  candidateLevels: CandidateLevels,
  options: { seed?: number; uSamples?: number; emPairs?: number } = {},
): Model {
  // The comparisons the candidates' levels were read with: training learns those, and only those.
  const comparisons = candidateLevels.comparisons;
  const next = random(options.seed ?? 42);
  const defaultsM = comparisons.map((spec) => spec.levels.map((level) => level.m));
  const defaultsU = comparisons.map((spec) => spec.levels.map((level) => level.u));
  const toWeights = (m: number[][], u: number[][]) => m.map((row, c) => row.map((value, level) => Math.log2(value / u[c]![level]!)));
  const current = { comparisons, weights: toWeights(defaultsM, defaultsU) };

  // u: how often each level occurs between random pairs, nearly all of them different children.
  // 30k pairs put about thirty in a level one pair in a thousand reaches; twice as many costs
  // twice the time and changes no benchmark's answer (README, Performance).
  const uCounts = comparisons.map((spec) => spec.levels.map(() => 0));
  const samples = Math.min(options.uSamples ?? 30_000, incoming.size * existing.size);
  const sampled = new Int8Array(comparisons.length);
  for (let sample = 0; sample < samples; sample++) {
    compareInto(current, comparers, Math.floor(next() * incoming.size), Math.floor(next() * existing.size), sampled);
    sampled.forEach((level, c) => {
      if (level !== NULL_LEVEL) uCounts[c]![level]!++;
    });
  }
  // A level never seen among random pairs keeps its (small) default.
  const u = uCounts.map((counts, c) => probabilities(counts, defaultsU[c]!, 20));

  // m: EM on candidate pairs, in two sessions; each learns only the fields its rule left free.
  const sessions = [
    { fixed: new Set(["dateOfBirth"]), holds: (a: number, b: number) => incoming.dobDigits[a]! >= 0 && incoming.dobDigits[a] === existing.dobDigits[b] },
    {
      fixed: new Set(["givenName", "familyName"]),
      holds: (a: number, b: number) => incoming.given[a]! >= 0 && incoming.given[a] === existing.given[b] && incoming.family[a] === existing.family[b],
    },
  ];
  const m = defaultsM.map((row) => [...row]);
  // Every n-th candidate, about 50k in all: m probabilities near a hundredth need thousands of
  // pairs, not millions (four times as many gives the same answers in four times as long).
  const limit = options.emPairs ?? 50_000;
  const step = Math.max(1, Math.floor(candidates.length / limit));
  const width = comparisons.length;
  const scratch = new Int8Array(width);
  for (const session of sessions) {
    // The sampled pairs' levels, one row of `width` per pair.
    const rows: number[] = [];
    for (let index = 0; index < candidates.length; index += step) if (session.holds(candidates.incoming[index]!, candidates.existing[index]!)) rows.push(index);
    if (rows.length < 30) continue;
    const levels = new Int8Array(rows.length * width);
    rows.forEach((index, row) => {
      candidateLevels.levelsOf(index, current.weights, scratch);
      levels.set(scratch, row * width);
    });
    const free = comparisons.map((spec) => !session.fixed.has(spec.field));
    let lambda = 0.5;
    for (let iteration = 0; iteration < 10; iteration++) {
      const weights = toWeights(m, u);
      const counts = comparisons.map((spec) => spec.levels.map(() => 0));
      const priorWeight = Math.log2(lambda / (1 - lambda));
      let matched = 0;
      for (let row = 0; row < rows.length; row++) {
        let score = priorWeight;
        for (let c = 0; c < width; c++) {
          const level = levels[row * width + c]!;
          if (level !== NULL_LEVEL && free[c]) score += weights[c]![level]!;
        }
        const p = 1 / (1 + 2 ** -score);
        matched += p;
        for (let c = 0; c < width; c++) {
          const level = levels[row * width + c]!;
          if (level !== NULL_LEVEL) counts[c]![level]! += p;
        }
      }
      lambda = Math.min(0.999, Math.max(0.001, matched / rows.length));
      // Converged when no m probability moves by more than a hundredth of a percentage point.
      let moved = 0;
      comparisons.forEach((_spec, c) => {
        if (!free[c]) return;
        const next = probabilities(counts[c]!, defaultsM[c]!, DEFAULT_WEIGHT);
        for (const [level, value] of next.entries()) moved = Math.max(moved, Math.abs(value - m[c]![level]!));
        m[c] = next;
      });
      if (moved < 1e-4) break;
    }
  }

  // The prior: pairs agreeing on given name, family name and date of birth, over all pairs.
  let certain = 0;
  for (let index = 0; index < candidates.length; index++) {
    const a = candidates.incoming[index]!;
    const b = candidates.existing[index]!;
    if (
      incoming.given[a]! >= 0 &&
      incoming.given[a] === existing.given[b] &&
      incoming.family[a] === existing.family[b] &&
      incoming.dobDigits[a]! >= 0 &&
      incoming.dobDigits[a] === existing.dobDigits[b]
    )
      certain++;
  }
  const expected = Math.max(certain / 0.8, Math.min(incoming.size, existing.size) * 0.05, 1);
  const lambda = Math.min(0.5, expected / (incoming.size * existing.size));

  const nameFrequency = new Float64Array(similarity.nameCount());
  const count = (data: Encoded) => {
    for (let row = 0; row < data.size; row++) {
      if (data.given[row]! >= 0) nameFrequency[data.given[row]!]! += 1;
      if (data.family[row]! >= 0) nameFrequency[data.family[row]!]! += 1;
    }
  };
  count(incoming);
  count(existing);
  const records = incoming.size + existing.size;
  for (let id = 0; id < nameFrequency.length; id++) nameFrequency[id] = Math.max(nameFrequency[id]!, 1) / records;
  // A name's term-frequency level is measured against its u; without such a level, no adjustment applies.
  const tfU = (name: "given" | "family") => {
    const c = comparisons.findIndex((spec) => spec.name === name);
    const level = c < 0 ? -1 : comparisons[c]!.levels.findIndex((spec) => spec.tf);
    return level < 0 ? 1 : u[c]![level]!;
  };

  return {
    comparisons,
    m,
    u,
    weights: toWeights(m, u),
    prior: Math.log2(lambda / (1 - lambda)),
    nameFrequency,
    exactNameU: { given: tfU("given"), family: tfU("family") },
    twinsSameComparisons: comparisons.filter((spec) => spec.levels.some((level) => level.twins === "same")).length,
  };
}
