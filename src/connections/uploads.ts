/**
 * Uploaded OneRoster zips live under DATA_DIR, one per organization, under a name Rollcall
 * chooses (the browser's name for the file is only ever shown). An upload arrives in a
 * temporary file beside them, is checked the way the reader will open it (a readable zip
 * within the reader's limits, holding a roster), and only then renamed over the stored
 * file: a refused or broken upload leaves the organization's last good roster in place.
 */
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { CountingSink, ReadFailed } from "../roster/snapshot.ts";
import { describeSet } from "../sources/oneroster/csv-set.ts";
import { DEFAULT_ZIP_LIMITS, openZipFiles } from "../sources/oneroster/files.ts";
import { Problems } from "../sources/oneroster/problems.ts";
import { TABLES } from "../sources/oneroster/tables.ts";

export function storedZipPath(dataDir: string, orgId: string): string {
  return join(dataDir, "connections", orgId, "oneroster.zip");
}

/** Where uploads are received: on the same disk as the stored files, so keeping one is a rename. */
export function uploadDirectory(dataDir: string): string {
  return join(dataDir, "uploads");
}

/** The reader's zip limits, with the largest zip this server accepts. */
export const zipLimitsFor = (maxUploadBytes: number) => ({ ...DEFAULT_ZIP_LIMITS, maxZipBytes: maxUploadBytes });

/**
 * A stored zip's size was checked when it was stored, under the server's upload limit (which
 * the operator may set above the reader's default); its entries are still held to the
 * reader's count and compression-ratio limits.
 */
export const STORED_ZIP_LIMITS = zipLimitsFor(Number.MAX_SAFE_INTEGER);

/** Uploads older than this in the upload directory were cut off by a crash or restart. */
const ABANDONED_UPLOAD_MS = 24 * 60 * 60 * 1000;

/** Deletes uploads a crash or restart left half-received; returns how many. Run at start-up. */
export function sweepAbandonedUploads(dataDir: string, now: number = Date.now()): number {
  const directory = uploadDirectory(dataDir);
  if (!existsSync(directory)) return 0;
  let swept = 0;
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (!name.endsWith(".partial") || now - statSync(path).mtimeMs < ABANDONED_UPLOAD_MS) continue;
    rmSync(path, { force: true });
    swept++;
  }
  return swept;
}

function startsLikeZip(path: string): boolean {
  const bytes = Buffer.alloc(4);
  const fd = openSync(path, "r");
  try {
    readSync(fd, bytes, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * What is wrong with a received file as a OneRoster zip, in plain words, or undefined when
 * it may replace the stored roster. Its rows are not read here: "Try the connection" and the
 * sync's own read report row-level problems.
 */
export async function checkUploadedZip(path: string, maxUploadBytes: number): Promise<string | undefined> {
  if (statSync(path).size === 0) return "The file is empty.";
  if (!startsLikeZip(path)) return "This is not a zip file. Export the roster from your system as a OneRoster CSV zip.";
  try {
    const files = await openZipFiles(path, zipLimitsFor(maxUploadBytes));
    try {
      const known = files.names.filter(
        (name) => name.toLowerCase() === "manifest.csv" || Object.keys(TABLES).some((table) => name.toLowerCase() === `${table.toLowerCase()}.csv`),
      );
      if (!known.length) return "The zip holds no OneRoster files (such as users.csv, orgs.csv and enrollments.csv). Check that this is the roster export.";
      await describeSet(files, new Problems(new CountingSink()));
    } finally {
      files.close();
    }
  } catch (error) {
    if (error instanceof ReadFailed) return error.message;
    throw error;
  }
  return undefined;
}

/**
 * Checks a received file and puts it in place of the organization's stored roster zip, or
 * deletes it and says why. Either way the received file is gone afterwards.
 */
export async function storeReceivedZip(
  dataDir: string,
  orgId: string,
  receivedPath: string,
  maxUploadBytes: number,
): Promise<{ path: string } | { problem: string }> {
  try {
    const problem = await checkUploadedZip(receivedPath, maxUploadBytes);
    if (problem) return { problem };
    const path = storedZipPath(dataDir, orgId);
    mkdirSync(join(dataDir, "connections", orgId), { recursive: true });
    renameSync(receivedPath, path);
    return { path };
  } finally {
    rmSync(receivedPath, { force: true });
  }
}

/** The operator's way in (`rollcall connect --file`): a copy is received and stored like an upload. */
export async function storeZipFrom(
  dataDir: string,
  orgId: string,
  sourcePath: string,
  maxUploadBytes: number,
): Promise<{ path: string } | { problem: string }> {
  mkdirSync(uploadDirectory(dataDir), { recursive: true });
  const received = join(uploadDirectory(dataDir), `upload-${crypto.randomUUID()}.partial`);
  copyFileSync(sourcePath, received);
  return storeReceivedZip(dataDir, orgId, received, maxUploadBytes);
}
