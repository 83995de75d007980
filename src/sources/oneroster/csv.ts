/**
 * One OneRoster CSV file, row by row, with columns found by header name (csv-parse does the
 * CSV: quotes, BOM, CRLF; encoding.ts turns other encodings into UTF-8 first). Header trouble
 * (unnamed, unknown or misspelled columns, trailing empty cells) and rows with the wrong number
 * of values are reported once, at their line; invisible control characters are removed from
 * values with a warning at their line. A file whose quoting is broken cannot be trusted past
 * that point and fails the read, naming the line.
 */
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { distance } from "fastest-levenshtein";
import { type Problem, ReadFailed } from "../../roster/snapshot.ts";
import { asUtf8, type EncodingChange } from "./encoding.ts";
import type { Problems } from "./problems.ts";

export class Row {
  constructor(
    readonly file: string,
    readonly line: number,
    private readonly values: string[],
    private readonly columns: Map<string, number>,
  ) {}

  /** A row from named values (the REST binding's records, flattened). */
  static of(file: string, line: number, record: Record<string, string>): Row {
    const names = Object.keys(record);
    return new Row(
      file,
      line,
      names.map((name) => record[name]!),
      new Map(names.map((name, index) => [name, index])),
    );
  }

  /** The trimmed value of a column, or "" when the column or the value is missing. */
  get(column: string): string {
    const index = this.columns.get(column);
    return index === undefined ? "" : (this.values[index] ?? "").trim();
  }

  has(column: string): boolean {
    return this.columns.has(column);
  }
}

export interface TableSpec {
  /** Columns in the spec's order, under their 1.1/1.2 names. */
  columns: readonly string[];
  /** Older (1.0) or common wrong names, read as the column they stand for. */
  aliases?: Readonly<Record<string, string>>;
}

export interface ReadTableOptions {
  /** Called once with the header's columns (by their read names), before any row. */
  onHeader?(columns: ReadonlySet<string>): void;
}

/** Invisible characters no name or id holds: C0 controls but tab and line breaks, DEL, C1 controls, and a stray byte-order mark. */
const CONTROLS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFEFF]/g;
/** Either kind, for one test of each value. */
const INVISIBLE_OR_LOST = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFEFF\uFFFD]/;
/** U+FFFD: where an earlier program lost a letter it could not decode. */
const LOST = /\uFFFD/g;

/** Reads a table; `onRow` may be async (a sink that writes). Returns the number of data rows. */
export async function readTable(
  stream: Readable,
  file: string,
  spec: TableSpec,
  problems: Problems,
  onRow: (row: Row) => unknown,
  options: ReadTableOptions = {},
): Promise<number> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  const source = Readable.from(
    asUtf8(stream, (change) => problems.add(encodingProblem(file, change))),
    { objectMode: false },
  );
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);
  let header: Header | undefined;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (!header) {
        header = readHeader(withoutInvisible(record, line, file, undefined, problems), file, spec, problems);
        options.onHeader?.(new Set(header.columns.keys()));
        continue;
      }
      rows++;
      const values = withoutInvisible(record, line, file, header.names, problems);
      if (values.length > header.cells) {
        const extra = values.slice(header.cells);
        if (extra.every((value) => value.trim() === "")) {
          problems.note(
            "warning",
            file,
            line,
            undefined,
            `has ${values.length} values but the header has ${header.cells} columns (a trailing comma); the empty extra value was ignored`,
          );
        } else {
          problems.add({
            severity: "error",
            file,
            line,
            message: `has ${values.length} values but the header has ${header.cells} columns, so it is not clear which value belongs to which column; the row was dropped`,
          });
          continue;
        }
      } else if (values.length < header.named) {
        problems.note(
          "warning",
          file,
          line,
          undefined,
          `has ${values.length} values but the header has ${header.named} columns; the missing values were read as empty`,
        );
      }
      await onRow(new Row(file, line, values, header.columns));
    }
  } catch (error) {
    if (error instanceof ReadFailed) throw error;
    const where = (error as { lines?: number }).lines;
    throw new ReadFailed(
      `${file}${where ? ` line ${where}` : ""} is not valid CSV (${(error as Error).message.replace(/^Invalid Record Length: |^Invalid Opening Quote: /, "")}). Nothing was changed; fix the file and export it again.`,
      (error as Error).message,
      file,
    );
  }
  if (!header) problems.add({ severity: "warning", file, line: 1, message: "is empty: it has no header row" });
  return rows;
}

/** The header's cells, without reading the file further (for telling a set's version by its columns). */
export async function readHeaderCells(stream: Readable): Promise<string[]> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, to_line: 1 });
  const source = Readable.from(
    asUtf8(stream, () => {}),
    { objectMode: false },
  );
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) return record.map((cell) => cell.replace(CONTROLS, "").trim());
    return [];
  } catch {
    // Broken CSV fails the read when the file itself is read; here it only tells nothing.
    return [];
  } finally {
    source.destroy();
    stream.destroy();
  }
}

function encodingProblem(file: string, change: EncodingChange): Problem {
  if (change.encoding !== "windows-1252") {
    return {
      severity: "warning",
      file,
      message: `is saved as ${change.encoding === "utf-16le" ? "UTF-16" : "UTF-16 (big-endian)"}, not UTF-8 as OneRoster asks; it was read as such`,
    };
  }
  return {
    severity: "warning",
    file,
    line: change.line,
    message: change.whole
      ? `is not in UTF-8: it was read as Windows-1252 (Western European), the encoding Excel often saves in (its first accented letter is on line ${change.line}). Check that accented names look right, and export the file as UTF-8 next time`
      : `is not all UTF-8: from line ${change.line} on it was read as Windows-1252 (Western European), the encoding Excel often saves in. Check that accented names look right, and export the file as UTF-8 next time`,
  };
}

/** The record with invisible characters and lost-letter marks removed, each removal a warning at the line. */
function withoutInvisible(record: string[], line: number, file: string, names: readonly string[] | undefined, problems: Problems): string[] {
  let values = record;
  for (let index = 0; index < record.length; index++) {
    const value = record[index]!;
    if (!value || !INVISIBLE_OR_LOST.test(value)) continue;
    const found = value.replace(LOST, "");
    const cleaned = found.replace(CONTROLS, "");
    const lost = found.length < value.length;
    const controls = cleaned.length < found.length;
    if (values === record) values = [...record];
    values[index] = cleaned;
    const field = names?.[index] || undefined;
    if (controls)
      problems.note(
        "warning",
        file,
        line,
        field,
        "had invisible control characters (such as a NUL byte or a stray byte-order mark); they were removed and the rest of the value was read",
      );
    if (lost)
      problems.note(
        "warning",
        file,
        line,
        field,
        `had the character "\uFFFD", which marks a letter an earlier program could not read; it was removed, so check this value in the school's system`,
      );
  }
  return values;
}

interface Header {
  /** Read name -> index. */
  columns: Map<string, number>;
  /** Each cell's read name ("" where it has none), for naming the field of a problem. */
  names: string[];
  /** Cells up to the last named one. */
  named: number;
  /** Every cell, trailing empty ones included: rows as wide as this are as exported. */
  cells: number;
}

function readHeader(record: string[], file: string, spec: TableSpec, problems: Problems): Header {
  const known = new Map(spec.columns.map((name) => [name.toLowerCase(), name]));
  const columns = new Map<string, number>();
  const names: string[] = [];
  let named = record.length;
  // Trailing unnamed columns carry no data: the header is as wide as its last named column.
  while (named > 0 && record[named - 1]!.trim() === "") named--;
  if (named < record.length) {
    const count = record.length - named;
    problems.add({
      severity: "warning",
      file,
      line: 1,
      message: `the header ends with ${count === 1 ? `an empty cell (column ${named + 1})` : `${count} empty cells (columns ${named + 1} to ${record.length})`}, from trailing commas; ${count === 1 ? "it was" : "they were"} ignored, with any values under ${count === 1 ? "it" : "them"}`,
    });
  }
  for (let index = 0; index < named; index++) {
    const raw = record[index]!.trim();
    names.push("");
    if (!raw) {
      problems.add({ severity: "warning", file, line: 1, message: `column ${index + 1} of the header has no name; its values are ignored` });
      continue;
    }
    let name = spec.aliases?.[raw] ?? raw;
    if (!spec.columns.includes(name) && !name.startsWith("metadata.")) {
      const sameButCase = known.get(name.toLowerCase());
      const close = sameButCase ?? spec.columns.find((column) => distance(column.toLowerCase(), name.toLowerCase()) <= 2);
      if (sameButCase) {
        problems.add({
          severity: "warning",
          file,
          line: 1,
          field: raw,
          message: `column "${raw}" should be spelled "${sameButCase}"; it was read as ${sameButCase}`,
        });
        name = sameButCase;
      } else if (close) {
        problems.add({
          severity: "warning",
          file,
          line: 1,
          field: raw,
          message: `column "${raw}" is not a OneRoster column (did you mean "${close}"?); its values are ignored`,
        });
      } else {
        problems.add({ severity: "warning", file, line: 1, field: raw, message: `column "${raw}" is not a OneRoster column; its values are ignored` });
      }
    }
    names[index] = name;
    if (columns.has(name)) {
      problems.add({ severity: "warning", file, line: 1, field: raw, message: `column "${raw}" appears twice; the first one is read` });
      continue;
    }
    columns.set(name, index);
  }
  return { columns, names, named, cells: record.length };
}
