/** Undo puts back exactly the rows a run changed (safety rule 3). */
import { afterEach, expect, test } from "bun:test";
import { undoRun, UndoRefused } from "../../../src/sync/run/undo.ts";
import { createSyncHarness, rosterSnapshot, type SyncHarness } from "../../helpers/sync-harness.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function changeTheDistrict(h: SyncHarness): void {
  const { district } = h;
  district.learners[0]!.familyName = "Changed";
  district.learners[1]!.yearGroup = { code: "3", label: "3" };
  const leaver = district.learners.pop()!;
  district.enrolments = district.enrolments.filter((enrolment) => enrolment.personSourceId !== leaver.sourceId);
  // A class move: learner 2 goes to the other school's homeroom of the same grade.
  const moved = district.enrolments.find((enrolment) => enrolment.personSourceId === district.learners[2]!.sourceId)!;
  moved.classSourceId = moved.classSourceId.replace("sch-1", "sch-2");
  district.learners.push({ ...district.learners[5]!, sourceId: "stu-joiner", givenName: "Joiner", familyName: "New", studentNumber: "SN-J" });
  district.enrolments.push({ classSourceId: "cls-sch-1-Kindergarten", personSourceId: "stu-joiner", role: "learner" });
  district.classes[0]!.name = "Renamed homeroom";
  // A teacher change in one class.
  const teaching = district.enrolments.find((enrolment) => enrolment.role === "educator")!;
  teaching.personSourceId = "tch-sch-2-5";
}

test("undo of a run that updated, moved, deactivated and created restores the exact prior rows", async () => {
  harness = await createSyncHarness({ learners: 60 });
  await harness.settings({ allowRemoval: true, removalMode: "deactivate" });
  await harness.sync();
  const before = await rosterSnapshot(harness.database, harness.orgId);

  changeTheDistrict(harness);
  const run = await harness.sync();
  expect(run.status).toBe("succeeded");
  expect(run.counts!.learners).toMatchObject({ Synced: 2, New: 1, Desynced: 1 });
  const changed = await rosterSnapshot(harness.database, harness.orgId);
  expect(changed).not.toEqual(before);

  await undoRun(harness.deps, { orgId: harness.orgId, runId: run.runId, userId: null });
  expect(await rosterSnapshot(harness.database, harness.orgId)).toEqual(before);

  // Undone once is enough; and the next sync makes the same change again.
  await expect(undoRun(harness.deps, { orgId: harness.orgId, runId: run.runId, userId: null })).rejects.toBeInstanceOf(UndoRefused);
  const again = await harness.sync();
  expect(again.counts!.learners).toMatchObject({ Synced: 2, New: 1, Desynced: 1 });
});

test("undo of the first sync leaves an empty roster; an older run cannot be undone", async () => {
  harness = await createSyncHarness({ learners: 12 });
  const first = await harness.sync();
  harness.district.learners[0]!.givenName = "Later";
  const second = await harness.sync();
  await expect(undoRun(harness.deps, { orgId: harness.orgId, runId: first.runId, userId: null })).rejects.toThrow("most recent");
  await undoRun(harness.deps, { orgId: harness.orgId, runId: second.runId, userId: null });
  await undoRun(harness.deps, { orgId: harness.orgId, runId: first.runId, userId: null });
  for (const [table, rows] of Object.entries(await rosterSnapshot(harness.database, harness.orgId)))
    expect({ table, rows: rows.length }).toEqual({ table, rows: 0 });
});

test("a run older than the retention period cannot be undone", async () => {
  harness = await createSyncHarness({ learners: 5 });
  const run = await harness.sync();
  const later = { ...harness.deps, now: () => new Date(Date.now() + 181 * 86_400_000) };
  await expect(undoRun(later, { orgId: harness.orgId, runId: run.runId, userId: null })).rejects.toThrow("retention period");
});
