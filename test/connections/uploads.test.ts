import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STORED_ZIP_LIMITS, sweepAbandonedUploads, uploadDirectory } from "../../src/connections/uploads.ts";
import { DEFAULT_ZIP_LIMITS } from "../../src/sources/oneroster/files.ts";

const dataDir = mkdtempSync(join(tmpdir(), "rollcall-uploads-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test("uploads a crash left behind for a day are swept at start-up; one being received now, and other files, stay", () => {
  const directory = uploadDirectory(dataDir);
  mkdirSync(directory, { recursive: true });
  const now = Date.now();
  const abandoned = join(directory, "upload-old.partial");
  const receiving = join(directory, "upload-new.partial");
  const other = join(directory, "notes.txt");
  for (const path of [abandoned, receiving, other]) writeFileSync(path, "PK");
  const twoDaysAgo = (now - 2 * 24 * 3600 * 1000) / 1000;
  utimesSync(abandoned, twoDaysAgo, twoDaysAgo);
  utimesSync(other, twoDaysAgo, twoDaysAgo);

  expect(sweepAbandonedUploads(dataDir, now)).toBe(1);
  expect([existsSync(abandoned), existsSync(receiving), existsSync(other)]).toEqual([false, true, true]);
  expect(sweepAbandonedUploads(join(dataDir, "nothing-here"), now)).toBe(0);
});

test("a stored zip is read without the reader's default size cap (it was checked when stored), its other limits kept", () => {
  expect(STORED_ZIP_LIMITS.maxZipBytes).toBeGreaterThan(DEFAULT_ZIP_LIMITS.maxZipBytes);
  expect({ ...STORED_ZIP_LIMITS, maxZipBytes: DEFAULT_ZIP_LIMITS.maxZipBytes }).toEqual(DEFAULT_ZIP_LIMITS);
});
