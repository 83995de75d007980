/** The sync's garbage guard collects only after memory has grown by its slack. */
import { expect, test } from "bun:test";
import { collectIfGrown } from "../../src/lib/garbage-guard.ts";

test("collects once resident memory has grown by the slack since the last collection, not before", () => {
  collectIfGrown(Number.MAX_SAFE_INTEGER);
  expect(collectIfGrown(Number.MAX_SAFE_INTEGER)).toBe(false);
  // 96 MB written, so its pages are resident: growth the guard must see.
  const held = new Uint8Array(96 * 1024 * 1024).fill(1);
  expect(collectIfGrown(32 * 1024 * 1024)).toBe(true);
  // Just after a collection the floor is where memory now is.
  expect(collectIfGrown(32 * 1024 * 1024)).toBe(false);
  expect(held[held.length - 1]).toBe(1);
});
