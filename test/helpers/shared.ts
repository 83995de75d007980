import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * ../shared sits beside the checkout on developer machines and in CI, but not in a user's
 * fresh clone. Files under a "no" licence row in ../shared/fixtures/README.md are read from
 * there at test time and never copied into the project.
 */
export const sharedDir = resolve(import.meta.dir, "../../../shared");
export const sharedPresent = existsSync(join(sharedDir, "fixtures"));

export function sharedPath(...parts: string[]): string {
  return join(sharedDir, ...parts);
}

/**
 * For `describe.skipIf(!sharedPresent)`: prints once why the suite is skipped.
 * CI sets ROLLCALL_REQUIRE_SHARED=1, so a missing ../shared fails there instead of skipping.
 */
export function skipWithoutShared(what: string): boolean {
  if (sharedPresent) return false;
  if (process.env.ROLLCALL_REQUIRE_SHARED === "1") {
    throw new Error(`../shared is missing, but CI requires it for ${what}`);
  }
  console.warn(`skipping ${what}: ../shared/fixtures is not beside this checkout`);
  return true;
}
