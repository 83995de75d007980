/**
 * The sync's garbage guard collects only after this process's resident memory has grown by its
 * slack. The test makes the growth itself (256 MB, written so its pages are resident) and
 * checks against half of it, so what else the machine or the process is doing moves neither
 * answer.
 */
import { expect, test } from "bun:test";
import { collectIfGrown } from "../../src/lib/garbage-guard.ts";

const MB = 1024 * 1024;

test("collects once resident memory has grown by the slack since the last collection, not before", () => {
  collectIfGrown(Number.MAX_SAFE_INTEGER);
  expect(collectIfGrown(Number.MAX_SAFE_INTEGER)).toBe(false);
  const held = new Uint8Array(256 * MB).fill(1);
  expect(collectIfGrown(128 * MB)).toBe(true);
  // Just after a collection the floor is where memory now is: the same slack is far off again.
  expect(collectIfGrown(128 * MB)).toBe(false);
  expect(held[held.length - 1]).toBe(1);
});
