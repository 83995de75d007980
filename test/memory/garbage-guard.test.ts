/**
 * The sync's garbage guard asks for a young collection after a small growth and runs a full
 * one only after a large growth over the last full collection's floor. The test makes the
 * growth itself (written so its pages are resident) and checks against slacks well inside it,
 * so what else the machine or the process is doing moves no answer.
 */
import { expect, test } from "bun:test";
import { collectIfGrown } from "../../src/lib/garbage-guard.ts";

const MB = 1024 * 1024;
const never = Number.MAX_SAFE_INTEGER;

test("a small growth asks for a young collection, a large one runs a full collection, and neither repeats at once", () => {
  collectIfGrown({ youngBytes: never, fullBytes: never });
  expect(collectIfGrown({ youngBytes: never, fullBytes: never })).toBe(false);

  const first = new Uint8Array(96 * MB).fill(1);
  expect(collectIfGrown({ youngBytes: 48 * MB, fullBytes: never })).toBe("young");
  // The young collection moved the mark to where memory now is: the same growth is far off again.
  expect(collectIfGrown({ youngBytes: 48 * MB, fullBytes: never })).toBe(false);

  const second = new Uint8Array(96 * MB).fill(1);
  // 192 MB over the floor of the last full collection, though only 96 MB since the young one.
  expect(collectIfGrown({ youngBytes: never, fullBytes: 160 * MB })).toBe("full");
  expect(collectIfGrown({ youngBytes: 48 * MB, fullBytes: 160 * MB })).toBe(false);
  expect(first[first.length - 1]! + second[second.length - 1]!).toBe(2);
});
