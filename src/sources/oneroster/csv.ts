/**
 * One OneRoster CSV file, row by row, with columns found by header name (csv-parse does the
 * CSV: quotes, BOM, CRLF). Header trouble (unnamed, unknown or misspelled columns) and rows
 * with the wrong number of values are reported once, at their line; a file whose quoting is
 * broken cannot be trusted past that point and fails the read, naming the line.
 */
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import { distance } from "fastest-levenshtein";
import { ReadFailed } from "../../roster/snapshot.ts";
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
    return new Row(file, line, names.map((name) => record[name]!), new Map(names.map((name, index) => [name, index])));
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

/** Reads a table; `onRow` may be async (a sink that writes). Returns the number of data rows. */
export async function readTable(stream: Readable, file: string, spec: TableSpec, problems: Problems, onRow: (row: Row) => void | Promise<void>): Promise<number> {
  const parser = stream.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  stream.on("error", (error) => parser.destroy(error));
  let columns: Map<string, number> | undefined;
  let width = 0;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        ({ columns, width } = readHeader(record, file, spec, problems));
        continue;
      }
      rows++;
      const line = info.lines;
      if (record.length > width) {
        const extra = record.slice(width);
        if (extra.every((value) => value.trim() === "")) {
          problems.note("warning", file, line, undefined, `has ${record.length} values but the header has ${width} columns (a trailing comma); the empty extra value was ignored`);
        } else {
          problems.add({ severity: "error", file, line, message: `has ${record.length} values but the header has ${width} columns, so it is not clear which value belongs to which column; the row was dropped` });
          continue;
        }
      } else if (record.length < width) {
        problems.note("warning", file, line, undefined, `has ${record.length} values but the header has ${width} columns; the missing values were read as empty`);
      }
      await onRow(new Row(file, line, record, columns));
    }
  } catch (error) {
    if (error instanceof ReadFailed) throw error;
    const where = (error as { lines?: number }).lines;
    throw new ReadFailed(`${file}${where ? ` line ${where}` : ""} is not valid CSV (${(error as Error).message.replace(/^Invalid Record Length: |^Invalid Opening Quote: /, "")}). Nothing was changed; fix the file and export it again.`, (error as Error).message, file);
  }
  if (!columns) problems.add({ severity: "warning", file, line: 1, message: "is empty: it has no header row" });
  return rows;
}

function readHeader(record: string[], file: string, spec: TableSpec, problems: Problems): { columns: Map<string, number>; width: number } {
  const known = new Map(spec.columns.map((name) => [name.toLowerCase(), name]));
  const columns = new Map<string, number>();
  let width = record.length;
  // Trailing unnamed columns carry no data: the header is as wide as its last named column.
  while (width > 0 && record[width - 1]!.trim() === "") width--;
  for (let index = 0; index < record.length; index++) {
    const raw = record[index]!.trim();
    if (!raw) {
      problems.add({ severity: "warning", file, line: 1, message: `column ${index + 1} of the header has no name; its values are ignored` });
      continue;
    }
    let name = spec.aliases?.[raw] ?? raw;
    if (!spec.columns.includes(name) && !name.startsWith("metadata.")) {
      const sameButCase = known.get(name.toLowerCase());
      const close = sameButCase ?? spec.columns.find((column) => distance(column.toLowerCase(), name.toLowerCase()) <= 2);
      if (sameButCase) {
        problems.add({ severity: "warning", file, line: 1, field: raw, message: `column "${raw}" should be spelled "${sameButCase}"; it was read as ${sameButCase}` });
        name = sameButCase;
      } else if (close) {
        problems.add({ severity: "warning", file, line: 1, field: raw, message: `column "${raw}" is not a OneRoster column (did you mean "${close}"?); its values are ignored` });
      } else {
        problems.add({ severity: "warning", file, line: 1, field: raw, message: `column "${raw}" is not a OneRoster column; its values are ignored` });
      }
    }
    if (columns.has(name)) {
      problems.add({ severity: "warning", file, line: 1, field: raw, message: `column "${raw}" appears twice; the first one is read` });
      continue;
    }
    columns.set(name, index);
  }
  return { columns, width };
}
