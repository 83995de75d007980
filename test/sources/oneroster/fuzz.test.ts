/**
 * Fuzzing the OneRoster reader (issue 16, point 15): for any mutated set, the read ends within
 * its time bound, either whole or with a ReadFailed (never another error), no name holds a
 * control character or U+FFFD, and every row of users.csv, classes.csv and enrollments.csv
 * that is missing from the snapshot is explained by a problem at its line (or by one for its
 * whole file, or by a count of rows like it). `npm run fuzz` runs many more cases.
 */
import { expect, test } from "bun:test";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import fc from "fast-check";
import { ReadFailed, type Problem } from "../../../src/roster/snapshot.ts";
import { readOneRosterFiles } from "../../../src/sources/oneroster/csv-set.ts";
import { asUtf8 } from "../../../src/sources/oneroster/encoding.ts";
import { CollectingSink } from "../../helpers/collect.ts";
import { applyMutations, type FuzzCase, fuzzCase, fuzzRuns, fuzzSeed, memoryFiles, UNWANTED_IN_NAMES, within } from "../../helpers/roster-fuzz.ts";

const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufeff\ufffd]/g;

/** The file's rows as the reader's CSV layer sees them (line, and values by lower-cased header name); undefined when it is not CSV. */
async function rowsOf(bytes: Buffer): Promise<{ line: number; get(column: string): string }[] | undefined> {
  const parser = Readable.from(
    asUtf8(Readable.from([bytes]), () => {}),
    { objectMode: false },
  ).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  const rows: { line: number; get(column: string): string }[] = [];
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const values = record.map((value) => value.replace(CONTROLS, "").trim());
      if (!header) {
        header = values.map((value) => value.toLowerCase());
        continue;
      }
      const columns = header;
      rows.push({ line: info.lines, get: (column) => values[columns.indexOf(column.toLowerCase())] ?? "" });
    }
  } catch {
    return undefined;
  }
  return rows;
}

/** Whether a problem accounts for a missing row at `line` of `file`. */
function explains(problems: Problem[], file: string, line: number): boolean {
  return problems.some((problem) => {
    if (problem.file !== file) return false;
    if (problem.line === line) return true;
    // A file-level problem (its header, its encoding, a missing column) or a count of rows like one reported.
    if (problem.line === undefined || problem.line === 1) return problem.severity === "error" || /header|column/.test(problem.message);
    const more = /\(and (\d+) more rows? like this after line (\d+)\)|\(on (\d+) rows; this is the first\)/.exec(problem.message);
    return Boolean(more && problem.line < line);
  });
}

async function check({ mutations, chunk }: FuzzCase): Promise<void> {
  const files = applyMutations(mutations);
  const sink = new CollectingSink();
  let failed: unknown;
  await within(readOneRosterFiles(memoryFiles(files, chunk), sink), 5_000).catch((error: unknown) => {
    failed = error;
  });
  if (failed !== undefined) {
    expect(failed).toBeInstanceOf(ReadFailed);
    return;
  }
  for (const person of [...sink.learners, ...sink.educators]) {
    expect({ id: person.sourceId, names: [person.givenName, person.familyName, "middleName" in person ? person.middleName : ""].join("|") }).not.toEqual({
      id: person.sourceId,
      names: expect.stringMatching(UNWANTED_IN_NAMES),
    });
  }
  const tombstoned = new Set(sink.tombstones.map((tombstone) => tombstone.sourceId));
  const people = new Set([...sink.learners, ...sink.educators].map((person) => person.sourceId));
  const classes = new Set(sink.classes.map((klass) => klass.sourceId));
  const places = new Set(sink.enrolments.map((place) => `${place.classSourceId}|${place.personSourceId}`));
  const present: Record<string, (row: { get(column: string): string }) => boolean> = {
    "users.csv": (row) => people.has(row.get("sourcedId")),
    "classes.csv": (row) => classes.has(row.get("sourcedId")),
    "enrollments.csv": (row) => places.has(`${row.get("classSourcedId")}|${row.get("userSourcedId")}`),
  };
  for (const [name, isPresent] of Object.entries(present)) {
    if (!files[name]) continue;
    const rows = await rowsOf(files[name]!);
    expect({ file: name, csv: rows !== undefined }).toEqual({ file: name, csv: true });
    const unexplained = rows!
      .filter((row) => !isPresent(row) && !tombstoned.has(row.get("sourcedId")) && !explains(sink.problems, name, row.line))
      .map((row) => row.line);
    expect({ file: name, unexplained }).toEqual({ file: name, unexplained: [] });
  }
}

test(
  "any mutated set is read whole or fails cleanly, in time, and every row it leaves out is explained",
  async () => {
    await fc.assert(
      fc.asyncProperty(fuzzCase, (input) => check(input)),
      { seed: fuzzSeed, numRuns: fuzzRuns("ROLLCALL_FUZZ_RUNS", 300), endOnFailure: true },
    );
  },
  { timeout: 600_000 },
);

test("the unmutated set reads whole, with nothing left out", async () => {
  await check({ mutations: [], chunk: 4096 });
  const sink = new CollectingSink();
  await readOneRosterFiles(memoryFiles(applyMutations([]), 3), sink);
  expect([sink.learners.length, sink.educators.length, sink.enrolments.length]).toEqual([8, 2, 24]);
  expect(sink.learners.map((learner) => learner.givenName)).toContain("Marié");
});
