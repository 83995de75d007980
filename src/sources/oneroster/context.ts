/**
 * What reading each OneRoster table needs: the tables, the sink and the problems, and the
 * rules shared by every table (row status, whether references are checked, tombstones).
 */
import type { ReadSummary, SnapshotSink, Tombstone } from "../../roster/snapshot.ts";
import type { Row } from "./csv.ts";
import type { DateReader } from "./dates.ts";
import type { FileMode } from "./manifest.ts";
import type { Problems } from "./problems.ts";
import type { TableName } from "./tables.ts";

/** Where the tables come from (a CSV set, or the REST API), with each table's mode. */
export interface OneRosterTables {
  version: "1.0" | "1.1" | "1.2";
  mode: "full" | "delta";
  modes: Map<string, FileMode>;
  /** How problems name the table: "users.csv", or an API path. */
  fileName(table: TableName): string | undefined;
  /** How problems name a row's place: a line of a file, or a record's place in an API list. */
  place: "line" | "record";
  /** Calls onRow for each row of the table (none when it is absent); returns the number of rows. */
  rows(table: TableName, onRow: (row: Row) => void): Promise<number>;
}

export interface OneRosterSummary extends ReadSummary {
  version: OneRosterTables["version"];
  /** Data rows read per file, e.g. { users: 10 }. */
  rows: Partial<Record<TableName, number>>;
}

export interface ReadContext {
  tables: OneRosterTables;
  version: OneRosterTables["version"];
  sink: SnapshotSink;
  problems: Problems;
  dates: DateReader;
  /** Reads a table row by row, with each row's status (active, or deleted). */
  read(table: TableName, onRow: (row: Row, status: "active" | "deleted") => void): Promise<void>;
  /** Whether the table is whole here, so that its references are checked (bulk files, API reads). */
  bulk(table: TableName): boolean;
  tombstone(record: Tombstone): void;
}

/** How a user takes part: as a learner, an educator, not at all (parents), or dropped (an error). */
export enum Kind {
  Skipped = 0,
  Learner = 1,
  Educator = 2,
  Dropped = 3,
}

const LEARNER_ROLES = new Set(["student"]);
const EDUCATOR_ROLES = new Set(["teacher", "aide", "proctor"]);

export const kindOfRole = (role: string): Kind => (LEARNER_ROLES.has(role) ? Kind.Learner : EDUCATOR_ROLES.has(role) ? Kind.Educator : Kind.Skipped);
