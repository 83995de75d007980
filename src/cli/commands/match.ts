/**
 * `rollcall match`: the identity matcher on two CSV files, for trying it on a district's
 * data before a sync. Input columns: id, given_name, family_name, preferred_name,
 * date_of_birth (YYYY-MM-DD), gender, year_group, upn, email, school (any may be empty).
 * Output: one row per incoming record with its status, the existing id it pairs with, the
 * score and each field's comparison level. Unmatched existing rows are not listed.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { type Explanation, type MatchInput, matchRecords } from "../../sync/match/index.ts";
import { type CliCommand, requireString, UsageError } from "../run.ts";

const COLUMNS = ["id", "given_name", "family_name", "preferred_name", "date_of_birth", "gender", "year_group", "upn", "email", "school"] as const;
const LEVEL_FIELDS = [
  ["givenName", "given_name"],
  ["familyName", "family_name"],
  ["dateOfBirth", "date_of_birth"],
  ["yearGroup", "year_group"],
  ["gender", "gender"],
  ["school", "school"],
  ["email", "email"],
  ["identifier", "identifier"],
] as const;

function readPeople(flag: string, path: string, warn: (text: string) => void): MatchInput[] {
  if (!existsSync(path)) throw new UsageError(`--${flag} "${path}" does not exist`);
  let rows: Record<string, string>[];
  try {
    rows = parse(readFileSync(path), {
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new UsageError(`--${flag} "${path}" is not valid CSV: ${(error as Error).message}`);
  }
  if (rows.length && !("id" in rows[0]!)) throw new UsageError(`--${flag} "${path}" has no "id" column (columns: ${COLUMNS.join(", ")})`);
  const seen = new Set<string>();
  return rows.map((row, index) => {
    const line = index + 2;
    if (!row.id) throw new UsageError(`${path}:${line} id: is empty; every row needs an id`);
    if (seen.has(row.id)) throw new UsageError(`${path}:${line} id: "${row.id}" appears twice`);
    seen.add(row.id);
    if (row.date_of_birth && !/^\d{4}-\d{2}-\d{2}$/.test(row.date_of_birth))
      warn(`${path}:${line} date_of_birth: "${row.date_of_birth}" is not YYYY-MM-DD; it was ignored`);
    const value = (column: string) => row[column] || undefined;
    return {
      id: row.id,
      givenName: row.given_name ?? "",
      familyName: row.family_name ?? "",
      preferredGivenName: value("preferred_name"),
      dateOfBirth: /^\d{4}-\d{2}-\d{2}$/.test(row.date_of_birth ?? "") ? row.date_of_birth : undefined,
      gender: value("gender"),
      yearGroup: value("year_group"),
      upn: value("upn"),
      email: value("email"),
      school: value("school"),
    };
  });
}

/** Each output column's level: from the waterfall, or "exact" for the identifier tier's confirmed fields. */
function levelsOf(explanation: Explanation | undefined): Record<string, string> {
  const levels: Record<string, string> = {};
  for (const field of explanation?.fields ?? []) {
    if (field.field === "names") levels.givenName = levels.familyName = field.level;
    else if (["upn", "stateId", "studentNumber", "sourceId"].includes(field.field)) levels.identifier = field.level;
    else levels[field.field] = field.level;
  }
  return levels;
}

export const match: CliCommand = {
  name: ["match"],
  summary: "match learners in two CSV files and write the pairs (changes nothing)",
  usage: [
    "--existing A.csv --incoming B.csv --out PAIRS.csv",
    "",
    `Both files have the columns ${COLUMNS.join(", ")} (any may be empty).`,
    "The output has incoming_id, existing_id, status (Matched, May match, New), score and each field's level.",
  ].join("\n"),
  options: { existing: { type: "string" }, incoming: { type: "string" }, out: { type: "string" } },
  async run({ values, io }) {
    const existing = readPeople("existing", requireString(values, "existing"), io.err);
    const incoming = readPeople("incoming", requireString(values, "incoming"), io.err);
    const out = requireString(values, "out");
    const results = matchRecords(incoming, existing);
    const rows = results.map((result) => {
      const levels = levelsOf(result.explanation as Explanation | undefined);
      return [
        result.incomingId,
        result.existingId ?? "",
        result.status,
        result.probability === undefined ? "" : result.probability.toFixed(4),
        ...LEVEL_FIELDS.map(([field]) => levels[field] ?? ""),
      ];
    });
    writeFileSync(
      out,
      stringify(rows, { header: true, columns: ["incoming_id", "existing_id", "status", "score", ...LEVEL_FIELDS.map(([, column]) => `${column}_level`)] }),
    );
    const count = (status: string) => results.filter((result) => result.status === status).length;
    io.err(
      `${incoming.length} incoming against ${existing.length} existing: ${count("Matched")} Matched, ${count("May match")} May match, ${count("New")} New. Written to ${out}.`,
    );
    return 0;
  },
};
