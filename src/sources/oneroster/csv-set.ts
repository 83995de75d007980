/**
 * A OneRoster CSV set (zip or folder) as tables: which file is which table, the manifest's
 * version and modes checked against the files present, and each file streamed through the
 * CSV reader. A set that cannot be a whole roster (a bulk set without users.csv, broken CSV)
 * fails the read: a partial roster must never look like a smaller one.
 */
import { ReadFailed, type SnapshotSink } from "../../roster/snapshot.ts";
import { readHeaderCells, readTable } from "./csv.ts";
import type { RosterFiles } from "./files.ts";
import { type FileMode, type Manifest, readManifest } from "./manifest.ts";
import { Problems } from "./problems.ts";
import { type OneRosterSummary, type OneRosterTables, readOneRoster } from "./read.ts";
import { REQUIRED, REQUIRED_FOR_BULK, type Requirement, type TableName, TABLES, VERSION_COLUMNS } from "./tables.ts";

export async function readOneRosterFiles(files: RosterFiles, sink: SnapshotSink): Promise<OneRosterSummary> {
  const problems = new Problems(sink);
  const { fileNames, manifest, modes, mode } = await describeSet(files, problems);
  // 1.2 moved roles to roles.csv: a set with one is 1.2 whatever its manifest says.
  const version = fileNames.has("roles") ? "1.2" : (manifest.version ?? (await versionByColumns(files, fileNames, problems)));
  const tables: OneRosterTables = {
    version,
    mode,
    modes,
    fileName: (table) => fileNames.get(table),
    place: "line",
    rows: async (table, onRow) => {
      const name = fileNames.get(table);
      if (!name) return 0;
      const onHeader = (columns: ReadonlySet<string>) => checkColumns(table, name, columns, version, modes.get(table), problems);
      return readTable(await files.open(name), name, TABLES[table], problems, onRow, { onHeader });
    },
  };
  return readOneRoster(tables, sink, problems);
}

/**
 * What a set holds, without reading its rows: which file is which table, the manifest, each
 * file's mode and the set's. Fails when a bulk set lacks a file a whole roster needs, so an
 * upload can be refused before it replaces the stored one.
 */
export async function describeSet(
  files: RosterFiles,
  problems: Problems,
): Promise<{ fileNames: Map<string, string>; manifest: Manifest; modes: Map<string, FileMode>; mode: "full" | "delta" }> {
  if (files.layoutNote) problems.add({ severity: "warning", message: files.layoutNote });
  const fileNames = resolveFileNames(files.names, problems);
  const manifest = await readManifest(fileNames.has("manifest") ? await files.open(fileNames.get("manifest")!) : undefined, problems);
  const modes = fileModes(manifest, fileNames, problems);
  return { fileNames, manifest, modes, mode: setMode(modes, problems) };
}

/**
 * A set without a manifest: OneRoster 1.0 had none, but some exporters leave it out of later
 * versions too. The files' columns tell which (1.0's userId and termSourcedId, 1.1's
 * enabledUser and termSourcedIds, ...); each file's header is read for it, nothing more.
 */
async function versionByColumns(files: RosterFiles, fileNames: Map<string, string>, problems: Problems): Promise<"1.0" | "1.1"> {
  const votes = { "1.0": 0, "1.1": 0 };
  for (const table of Object.keys(TABLES) as TableName[]) {
    const name = fileNames.get(table);
    if (!name) continue;
    const columns = new Set(await readHeaderCells(await files.open(name)));
    for (const version of ["1.0", "1.1"] as const) votes[version] += (VERSION_COLUMNS[version][table] ?? []).filter((column) => columns.has(column)).length;
  }
  const version = votes["1.1"] > votes["1.0"] ? "1.1" : "1.0";
  const file = fileNames.get("users") ?? [...fileNames.values()][0];
  problems.add({
    severity: "warning",
    file,
    message:
      version === "1.0"
        ? "the set has no manifest.csv, so it was read as OneRoster 1.0 (which had none)"
        : "the set has no manifest.csv; its columns are those of OneRoster 1.1, so it was read as 1.1",
  });
  return version;
}

/** The columns a file needs: one problem at line 1 naming the missing ones and what follows; their rows' own problems are left out. */
function checkColumns(
  table: TableName,
  file: string,
  columns: ReadonlySet<string>,
  version: OneRosterTables["version"],
  mode: FileMode | undefined,
  problems: Problems,
): void {
  const needs: Requirement[] = [{ columns: ["sourcedId"], drops: true, consequence: "every row was dropped" }, ...(REQUIRED[table] ?? [])];
  if (mode === "delta")
    needs.push({ columns: ["status", "dateLastModified"], drops: false, consequence: "every row was read as active, so nothing in it was deleted" });
  const missing = needs
    .filter((need) => !need.versions || need.versions.includes(version))
    .map((need) => ({ ...need, columns: need.columns.filter((column) => !columns.has(column)) }))
    .filter((need) => need.columns.length);
  if (!missing.length) return;
  const names = missing.flatMap((need) => need.columns);
  problems.missingColumns(file, names);
  const list = (items: readonly string[]) => (items.length === 1 ? items[0]! : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);
  problems.add({
    severity: missing.some((need) => need.drops) ? "error" : "warning",
    file,
    line: 1,
    message: `has no ${list(names)} column${names.length > 1 ? "s" : ""}${missing.some((need) => need.optional) ? "" : `, which OneRoster ${version} needs`}: ${missing.map((need) => (missing.length > 1 ? `without ${list(need.columns)}, ${need.consequence}` : need.consequence)).join("; ")}`,
  });
}

/** Which file stands for which table: exact names first, then a wrong case with a warning. */
function resolveFileNames(names: string[], problems: Problems): Map<string, string> {
  const wanted = ["manifest", ...Object.keys(TABLES), "userProfiles"];
  const result = new Map<string, string>();
  for (const table of wanted) {
    const exact = `${table}.csv`;
    if (names.includes(exact)) {
      result.set(table, exact);
      continue;
    }
    const other = names.find((name) => name.toLowerCase() === exact.toLowerCase());
    if (!other) continue;
    if (table === "userProfiles") {
      problems.add({ severity: "warning", file: other, message: `file names are case-sensitive: "${other}" is not "${exact}"; it was ignored` });
      continue;
    }
    problems.add({ severity: "warning", file: other, message: `file names are case-sensitive: "${other}" should be "${exact}"; it was read as ${exact}` });
    result.set(table, other);
  }
  return result;
}

/** Each file's mode: the manifest's, checked against the files present. */
function fileModes(manifest: Manifest, fileNames: Map<string, string>, problems: Problems): Map<string, FileMode> {
  const modes = new Map<string, FileMode>();
  const hasManifest = fileNames.has("manifest");
  for (const table of Object.keys(TABLES)) {
    const listed = manifest.modes.get(table);
    const present = fileNames.has(table);
    if (listed && listed.mode !== "absent" && !present) {
      problems.add({
        severity: "error",
        file: "manifest.csv",
        line: listed.line,
        field: `file.${table}`,
        message: `says ${table}.csv is ${listed.mode}, but the set has no ${table}.csv`,
      });
      modes.set(table, "absent");
    } else if (present && hasManifest && (!listed || listed.mode === "absent")) {
      problems.add({
        severity: "warning",
        file: "manifest.csv",
        line: listed?.line,
        field: `file.${table}`,
        message: `${listed ? `says ${table}.csv is absent` : `does not list ${table}.csv`}, but the set has it; it was read`,
      });
      modes.set(table, "bulk");
    } else {
      modes.set(table, listed?.mode ?? (present ? (hasManifest ? "bulk" : "whole") : "absent"));
    }
  }
  return modes;
}

/** A full read only when every roster file present is bulk; otherwise a delta (nothing unmentioned is removed). */
function setMode(modes: Map<string, FileMode>, problems: Problems): "full" | "delta" {
  const core = REQUIRED_FOR_BULK.map((table) => modes.get(table) ?? "absent");
  const present = core.filter((mode) => mode !== "absent");
  if (!present.length) return "delta"; // only a manifest: "no changes"
  if (present.every((mode) => mode === "delta")) return "delta";
  if (present.some((mode) => mode === "delta")) {
    problems.add({
      severity: "warning",
      file: "manifest.csv",
      message: "mixes bulk and delta files; the set was read as a delta, so nothing missing from it is removed",
    });
    return "delta";
  }
  const missing = REQUIRED_FOR_BULK.filter((table) => (modes.get(table) ?? "absent") === "absent");
  if (missing.length) {
    throw new ReadFailed(
      `The roster has no ${missing.map((table) => `${table}.csv`).join(" or ")}, so it cannot be a whole roster. Nothing was changed; export the roster again with every file.`,
      undefined,
      `${missing[0]}.csv`,
    );
  }
  return "full";
}
