/**
 * OneRoster tables (from a CSV set or the REST API; 1.0, 1.1 or 1.2; bulk or delta) into the
 * snapshot. Tables are read in dependency order (demographics; organisation: orgs, sessions,
 * courses, classes; people: roles, users; then enrollments), each row by row; only ids
 * and a few small facts are kept between tables, to check references and to attach
 * demographics and roles to users.
 *
 * Row-level problems name file, line and field. An error drops the row and says what
 * depended on it; a warning keeps it. Each id is read once per table: a row that repeats
 * an earlier row's sourcedId is an error naming the first, which is the one kept.
 */
import { FirstSeen } from "../../roster/first-seen.ts";
import type { SnapshotSink } from "../../roster/snapshot.ts";
import type { OneRosterSummary, OneRosterTables, ReadContext } from "./context.ts";
import { readEnrollments } from "./enrollments.ts";
import { readOrganisation } from "./organisation.ts";
import { DateReader } from "./dates.ts";
import { readDemographics, readPeople } from "./people.ts";
import type { Problems } from "./problems.ts";
import type { TableName } from "./tables.ts";
import { statusOf } from "./values.ts";

export type { OneRosterSummary, OneRosterTables } from "./context.ts";

export async function readOneRoster(tables: OneRosterTables, sink: SnapshotSink, problems: Problems): Promise<OneRosterSummary> {
  const { version, modes, mode } = tables;
  const rows: OneRosterSummary["rows"] = {};
  let recordsRead = 0;
  const ctx: ReadContext = {
    tables,
    version,
    sink,
    problems,
    dates: new DateReader(problems),
    async read(table, onRow) {
      if (modes.get(table) === "absent" || !tables.fileName(table)) return;
      const fileMode = modes.get(table) ?? "bulk";
      sink.progress?.(`reading ${tables.fileName(table)}`, recordsRead);
      // One record per id: the first row with an id is the one read.
      const seen = new FirstSeen();
      rows[table] = await tables.rows(table, (row) => {
        recordsRead++;
        if (recordsRead % 50_000 === 0) sink.progress?.(`reading ${row.file}`, recordsRead);
        const id = row.get("sourcedId");
        if (!id && table !== "demographics") {
          problems.add({ severity: "error", file: row.file, line: row.line, field: "sourcedId", message: "has no sourcedId; the row was dropped" });
          return;
        }
        const first = id ? seen.claim(id, row.line) : 0;
        if (first) {
          problems.note(
            "error",
            row.file,
            row.line,
            "sourcedId",
            `"${id}" is also the sourcedId of ${tables.place} ${first}, which was read; this row was dropped`,
            { sourceId: id },
          );
          return;
        }
        onRow(row, statusOf(row, fileMode, version, problems));
      });
    },
    // References are checked wherever the table is whole (bulk files, API reads), not in deltas.
    bulk(table: TableName) {
      const tableMode = modes.get(table) ?? "absent";
      return tableMode === "bulk" || tableMode === "whole" || (tableMode === "absent" && mode === "full");
    },
    tombstone: (record) => sink.tombstone(record),
  };

  // Demographics first: their birth dates count towards the set's date shape when sessions are read.
  const demographics = await readDemographics(ctx);
  const organisation = await readOrganisation(ctx);
  const users = await readPeople(ctx, organisation, demographics);
  await readEnrollments(ctx, organisation, users);

  problems.finish();
  sink.progress?.("read", recordsRead);
  return { source: "oneroster", mode, version, rows };
}
