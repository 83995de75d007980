/**
 * OneRoster as a roster source: a CSV zip (uploaded, or named on the command line), a
 * folder of CSV files, or the REST binding (rest.ts).
 */
import type { SnapshotSink } from "../../roster/snapshot.ts";
import { DEFAULT_ZIP_LIMITS, openDirectoryFiles, openZipFiles, type ZipLimits } from "./files.ts";
import { readOneRosterFiles } from "./csv-set.ts";
import type { OneRosterSummary } from "./read.ts";

export type { OneRosterSummary } from "./read.ts";

export async function readOneRosterZip(path: string, sink: SnapshotSink, options: { limits?: ZipLimits } = {}): Promise<OneRosterSummary> {
  const files = await openZipFiles(path, options.limits ?? DEFAULT_ZIP_LIMITS);
  try {
    return await readOneRosterFiles(files, sink);
  } finally {
    files.close();
  }
}

export async function readOneRosterDirectory(directory: string, sink: SnapshotSink): Promise<OneRosterSummary> {
  return readOneRosterFiles(openDirectoryFiles(directory), sink);
}
