/**
 * Labelled data sets for the matcher: FEBRL 4 and Splink's fake_1000 (read from ../shared,
 * never copied), as MatchInput records with their truth, and the scoring of an answer.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { MatchInput, MatchResult } from "../../src/sync/match/types.ts";
import { sharedPath } from "../helpers/shared.ts";

const rows = (file: string) =>
  parse(readFileSync(sharedPath("fixtures/matching", file), "utf8"), { columns: true, trim: true, skip_empty_lines: true }) as Record<string, string>[];

const isoDate = (digits: string) => {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(digits ?? "");
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
};

/** FEBRL 4: 4a is the existing roster, 4b the incoming one; rec-N-org and rec-N-dup-0 are one person. */
export function febrl4(fields: "names and date of birth" | "all"): { existing: MatchInput[]; incoming: MatchInput[]; truth: Map<string, string> } {
  const toRecord = (row: Record<string, string>): MatchInput => ({
    id: row.rec_id!,
    givenName: row.given_name ?? "",
    familyName: row.surname ?? "",
    dateOfBirth: isoDate(row.date_of_birth!),
    ...(fields === "all"
      ? {
          stateId: row.soc_sec_id || undefined,
          postcode: row.postcode || undefined,
          address: [row.street_number, row.address_1].filter(Boolean).join(" ") || undefined,
        }
      : {}),
  });
  const existing = rows("dataset4a.csv").map(toRecord);
  const incoming = rows("dataset4b.csv").map(toRecord);
  const truth = new Map(incoming.map((record) => [record.id, record.id.replace(/-dup-\d+$/, "-org")]));
  return { existing, incoming, truth };
}

export interface Accuracy {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Which existing record an incoming one truly is: a Map, or a rule over ids. */
export interface Truth {
  get(incomingId: string): string | undefined;
}

/** Pairs the matcher proposed (Matched and May match, all accepted) against the true pairs. */
export function accuracy(results: MatchResult[], truth: Truth, existingIds: ReadonlySet<string>): Accuracy {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const result of results) {
    const wanted = truth.get(result.incomingId);
    const real = wanted !== undefined && existingIds.has(wanted) ? wanted : undefined;
    if (result.existingId) {
      if (result.existingId === real) truePositives++;
      else falsePositives++;
      if (real && result.existingId !== real) falseNegatives++;
    } else if (real) falseNegatives++;
  }
  const precision = truePositives / Math.max(1, truePositives + falsePositives);
  const recall = truePositives / Math.max(1, truePositives + falseNegatives);
  return { truePositives, falsePositives, falseNegatives, precision, recall, f1: (2 * precision * recall) / Math.max(1e-9, precision + recall) };
}
