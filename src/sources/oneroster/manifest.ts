/**
 * manifest.csv: the OneRoster version and each file's mode (bulk, delta or absent). Its
 * values are hints: a file that is present is read even when the manifest forgets it, and
 * a file the manifest promises but the zip lacks is an error. Without a manifest the set is
 * OneRoster 1.0 (which had none) unless its columns are those of a later version.
 */
import type { Readable } from "node:stream";
import { readTable } from "./csv.ts";
import type { Problems } from "./problems.ts";
import { KNOWN_FILES } from "./tables.ts";

/**
 * "whole": a whole table whose rows carry their own status, with no manifest to say more (a
 * REST read, or a set without manifest.csv); its statuses are read with no bulk-file warnings.
 */
export type FileMode = "bulk" | "delta" | "absent" | "whole";

export interface Manifest {
  /** Undefined without a manifest: the set's columns tell its version then. */
  version: "1.0" | "1.1" | "1.2" | undefined;
  modes: Map<string, { mode: FileMode; line: number }>;
}

const FILE = "manifest.csv";

export async function readManifest(stream: Readable | undefined, problems: Problems): Promise<Manifest> {
  const modes = new Map<string, { mode: FileMode; line: number }>();
  if (!stream) return { version: undefined, modes };
  let version: Manifest["version"] | undefined;
  await readTable(stream, FILE, { columns: ["propertyName", "value"] }, problems, (row) => {
    const name = row.get("propertyName");
    const value = row.get("value");
    const at = { file: FILE, line: row.line, field: name };
    if (name === "manifest.version") {
      if (value !== "1.0") problems.add({ ...at, severity: "warning", message: `manifest.version should be 1.0, not "${value}"` });
    } else if (name === "oneroster.version") {
      if (value === "1.1" || value === "1.2") version = value;
      else problems.add({ ...at, severity: "warning", message: `oneroster.version "${value}" is not 1.1 or 1.2; the set was read as 1.1` });
    } else if (name.startsWith("file.")) {
      const file = name.slice(5);
      if (!(KNOWN_FILES as readonly string[]).includes(file)) {
        problems.add({ ...at, severity: "warning", message: `"${name}" is not a OneRoster file` });
      } else if (value === "bulk" || value === "delta" || value === "absent") {
        modes.set(file, { mode: value, line: row.line });
      } else if (["bulk", "delta", "absent"].includes(value.toLowerCase())) {
        const mode = value.toLowerCase() as "bulk" | "delta" | "absent";
        problems.add({ ...at, severity: "warning", message: `"${value}" should be written ${mode} (values are case-sensitive); it was read as ${mode}` });
        modes.set(file, { mode, line: row.line });
      } else {
        problems.add({ ...at, severity: "warning", message: `${name} should be bulk, delta or absent, not "${value}"` });
      }
    } else if (name === "source.systemName" || name === "source.systemCode") {
      if (value === "absent") problems.add({ ...at, severity: "warning", message: `${name} is "absent", which is a file mode, not the name of a system` });
    } else {
      problems.add({ ...at, severity: "warning", message: `"${name}" is not a manifest property (a typo?); it was ignored` });
    }
  });
  return { version: version ?? "1.1", modes };
}
