/** Year-end archiving and carryover of returning learners. */
import { afterEach, expect, test } from "bun:test";
import { archiveSchoolYear } from "../../../src/sync/run/year-end.ts";
import { createSyncHarness, type SyncHarness } from "../../helpers/sync-harness.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("closing a school year archives its classes and their learners, with a summary, and drops their links", async () => {
  harness = await createSyncHarness({ learners: 24 });
  await harness.sync();
  const archived = await archiveSchoolYear(harness.database, { orgId: harness.orgId, schoolYear: 2026 });
  expect(archived).toEqual({ classes: 12, learners: 24 });
  expect(await harness.count("learners", "status = 'archived' and not has_access")).toBe(24);
  expect(await harness.count("classes", "status = 'archived'")).toBe(12);
  expect(
    await harness.count("archive_entries", "entity = 'learner' and summary->>'yearGroup' is not null and jsonb_array_length(summary->'classes') = 1"),
  ).toBe(24);
  expect(await harness.count("source_links", "entity in ('learner', 'class')")).toBe(0);
  // History is kept: the enrolments of the closed year stay.
  expect(await harness.count("enrolments")).toBe(24);
  // Closing it again changes nothing.
  expect(await archiveSchoolYear(harness.database, { orgId: harness.orgId, schoolYear: 2026 })).toEqual({ classes: 0, learners: 0 });
});

test("a school year that has not closed is left alone", async () => {
  harness = await createSyncHarness({ learners: 6 });
  await harness.sync();
  expect(await archiveSchoolYear(harness.database, { orgId: harness.orgId, schoolYear: 2025 })).toEqual({ classes: 0, learners: 0 });
  expect(await harness.count("learners", "status = 'active'")).toBe(6);
});
