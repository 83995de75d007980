/**
 * Uploaded OneRoster zips live under DATA_DIR, one per organization. A new file is written
 * beside the old one and renamed over it only once complete, so a failed upload never
 * leaves the organization without its last good roster file.
 */
import { mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";

export const MAX_ROSTER_ZIP_BYTES = 500 * 1024 * 1024;

export function rosterZipPath(dataDir: string, orgId: string): string {
  return join(dataDir, "connections", orgId, "oneroster.zip");
}

/** Checks the bytes look like a zip and stores them; returns the stored path or a plain-words problem. */
export async function storeRosterZip(dataDir: string, orgId: string, file: Blob): Promise<{ path: string } | { problem: string }> {
  if (file.size === 0) return { problem: "The file is empty." };
  if (file.size > MAX_ROSTER_ZIP_BYTES) return { problem: "The file is larger than 500 MB. Export only the schools you need, or ask your vendor." };
  const signature = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (!(signature[0] === 0x50 && signature[1] === 0x4b && signature[2] === 0x03 && signature[3] === 0x04)) {
    return { problem: "This is not a zip file. Export the roster from your system as a OneRoster CSV zip." };
  }
  const path = rosterZipPath(dataDir, orgId);
  mkdirSync(join(dataDir, "connections", orgId), { recursive: true });
  const partial = `${path}.${crypto.randomUUID()}.partial`;
  await Bun.write(partial, file);
  renameSync(partial, path);
  return { path };
}
