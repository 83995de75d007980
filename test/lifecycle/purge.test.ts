/**
 * Issue 17 point 12, the purge: a learner removed longer ago than the organization's retention
 * period is deleted with their links, class places, archive entries, match decisions and the
 * personal part of their run items; one removed more recently stays; run counts stay. The
 * scheduler runs it once a day in one process. Real syncs on a real database, with a set clock.
 */
import { afterEach, expect, test } from "bun:test";
import { purgeAllOrganizations, purgeRemovedLearners } from "../../src/lifecycle/purge.ts";
import { createLogger, silentLogger } from "../../src/lib/log.ts";
import { createScheduler } from "../../src/schedule/scheduler.ts";
import { createSyncService } from "../../src/sync/run/service.ts";
import { createSyncHarness, removeLearners, type SyncHarness } from "../helpers/sync-harness.ts";
import { learnerTraces, type LearnerRef, rowsOf } from "./traces.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const DAY = 86_400_000;
const T0 = new Date("2026-01-05T02:00:00Z");
const daysAfter = (days: number) => new Date(T0.getTime() + days * DAY);

const rows = <Row>(h: SyncHarness, query: string) => rowsOf<Row>(h.database, query);
const traces = (h: SyncHarness, learner: LearnerRef) => learnerTraces(h.database, h.orgId, learner);

async function idOf(h: SyncHarness, sourceId: string): Promise<string> {
  const [row] = await rows<{ id: string }>(
    h,
    `select entity_id as id from source_links where org_id = '${h.orgId}' and entity = 'learner' and source_id = '${sourceId}'`,
  );
  return row!.id;
}

async function removeThroughSync(h: SyncHarness, at: Date, sourceId: string) {
  h.deps.now = () => at;
  removeLearners(h.district, new Set([sourceId]));
  const run = await h.sync();
  expect(run.status).toBe("succeeded");
  expect(run.counts!.learners!.Desynced).toBe(1);
}

async function removedHarness(): Promise<{ early: LearnerRef; late: LearnerRef }> {
  harness = await createSyncHarness({ learners: 30 });
  await harness.settings({ allowRemoval: true, removalMode: "remove" });
  harness.deps.now = () => daysAfter(-10);
  await harness.sync();
  const [a, b] = harness.district.learners;
  const early = { id: await idOf(harness, a!.sourceId), sourceId: a!.sourceId, familyName: a!.familyName };
  const late = { id: await idOf(harness, b!.sourceId), sourceId: b!.sourceId, familyName: b!.familyName };
  // Two days apart: at day 181 one was removed 181 days ago, the other 179.
  await removeThroughSync(harness, T0, early.sourceId);
  await removeThroughSync(harness, daysAfter(2), late.sourceId);
  // Things that refer to both: an archive entry and an admin's match answers.
  for (const learner of [early, late]) {
    await rows(
      harness,
      `insert into archive_entries (org_id, entity, entity_id, school_year, summary) values ('${harness.orgId}', 'learner', '${learner.id}', 2025, '{"yearGroup":"1","classes":["Homeroom 1"]}')`,
    );
    await rows(
      harness,
      `insert into match_decisions (org_id, source, source_id, learner_id, decision) values ('${harness.orgId}', 'oneroster', 'stu-other', '${learner.id}', 'rejected')`,
    );
  }
  return { early, late };
}

test("a learner removed 181 days ago is purged with everything about them; one removed 179 days ago stays; counts stay", async () => {
  const { early, late } = await removedHarness();
  const h = harness!;
  const before = { early: await traces(h, early), late: await traces(h, late) };
  expect(before.early).toMatchObject({ learners: 1, links: 1, archive: 1, decisions: 1 });
  expect(before.early.run_items).toBeGreaterThanOrEqual(3);
  const runCounts = await rows<{ id: string; counts: unknown; problem_count: number }>(
    h,
    `select id, counts, problem_count from sync_runs where org_id = '${h.orgId}' order by id`,
  );
  const learnerItems = await rows<{ n: number }>(h, `select count(*)::int as n from sync_run_items where org_id = '${h.orgId}' and entity = 'learner'`);
  const allLearners = await h.count("learners", `org_id = '${h.orgId}'`);

  // A day short of the retention period for both: nothing happens.
  expect(await purgeRemovedLearners(h.database, { orgId: h.orgId, now: daysAfter(179.9) })).toMatchObject({ purged: { learners: 0 } });
  expect(await traces(h, early)).toEqual(before.early);

  const result = await purgeRemovedLearners(h.database, { orgId: h.orgId, now: daysAfter(181) });
  expect(result).toMatchObject({ retentionDays: 180, purged: { learners: 1, links: 1, archiveEntries: 1, matchDecisions: 1 } });
  expect(await traces(h, early)).toEqual({ learners: 0, links: 0, enrolments: 0, archive: 0, decisions: 0, run_items: 0 });
  expect(await traces(h, late)).toEqual(before.late);
  expect(await h.count("learners", `org_id = '${h.orgId}'`)).toBe(allLearners - 1);

  // The history keeps every learner item, with what happened and without who.
  expect(await rows(h, `select count(*)::int as n from sync_run_items where org_id = '${h.orgId}' and entity = 'learner'`)).toEqual(learnerItems);
  const cleared = await rows<{ status: string; action: string }>(
    h,
    `select status, action from sync_run_items where org_id = '${h.orgId}' and entity = 'learner' and label is null order by id`,
  );
  expect(cleared).toEqual([
    { status: "New", action: "create" },
    { status: "Desynced", action: "remove" },
  ]);
  expect(await rows(h, `select id, counts, problem_count from sync_runs where org_id = '${h.orgId}' order by id`)).toEqual(runCounts);

  // One audit entry, without names.
  const audit = await rows<{ actor: string; detail: Record<string, number> }>(
    h,
    `select actor, detail from audit_log where org_id = '${h.orgId}' and action = 'learners.purged'`,
  );
  expect(audit.length).toBe(1);
  expect(audit[0]!.actor).toBe("scheduler");
  expect(audit[0]!.detail).toMatchObject({ retentionDays: 180, learners: 1, links: 1 });
  expect(JSON.stringify(audit[0]!.detail)).not.toContain(early.familyName);

  // Purging again the same day finds nothing more.
  expect(await purgeRemovedLearners(h.database, { orgId: h.orgId, now: daysAfter(181) })).toMatchObject({ purged: { learners: 0 } });
});

test("a removed learner who kept a class place loses it too; an organization with a longer retention period keeps theirs", async () => {
  harness = await createSyncHarness({ learners: 12 });
  // A second organization on the same database (closed with it).
  const other = await createSyncHarness({ learners: 12, database: harness.database });
  await other.settings({ retentionDays: 365 });
  for (const h of [harness, other]) {
    h.deps.now = () => T0;
    await h.sync();
    // Removed long ago by hand or by an older version, without its places being taken away.
    await rows(h, `update learners set status = 'removed', status_changed_at = '${daysAfter(-1).toISOString()}' where id = '${await idOf(h, "stu-3")}'`);
  }
  const removed = { id: await idOf(harness, "stu-3"), sourceId: "stu-3", familyName: harness.district.learners[3]!.familyName };
  expect((await traces(harness, removed)).enrolments).toBe(1);
  const classId = (await rows<{ class_id: string }>(harness, `select class_id from enrolments where learner_id = '${removed.id}'`))[0]!.class_id;

  const results = await purgeAllOrganizations({ database: harness.database, logger: silentLogger }, daysAfter(181));
  expect(results.map((result) => result.orgId)).toEqual([harness.orgId]);
  expect(await traces(harness, removed)).toEqual({ learners: 0, links: 0, enrolments: 0, archive: 0, decisions: 0, run_items: 0 });
  // The class is checked again by the next sync (its members changed without a sync).
  expect((await rows<{ digest: string | null }>(harness, `select members_digest as digest from classes where id = '${classId}'`))[0]!.digest).toBeNull();
  expect((await traces(other, { id: await idOf(other, "stu-3"), sourceId: "stu-3", familyName: other.district.learners[3]!.familyName })).learners).toBe(1);
});

test("a sync under way puts the organization's purge off to the next day", async () => {
  const { early } = await removedHarness();
  const h = harness!;
  await rows(h, `insert into sync_runs (org_id, source, trigger, status) values ('${h.orgId}', 'oneroster', 'cli', 'fetching')`);
  expect(await purgeRemovedLearners(h.database, { orgId: h.orgId, now: daysAfter(181) })).toMatchObject({ skipped: "sync under way" });
  expect((await traces(h, early)).learners).toBe(1);
});

test("the scheduler purges once a day, in one process of several", async () => {
  const { early, late } = await removedHarness();
  const h = harness!;
  let clock = daysAfter(181);
  const schedulers = [0, 1, 2].map(() => createScheduler(createSyncService(h.deps), { now: () => clock }));
  const outcomes = await Promise.all(schedulers.map((scheduler) => scheduler.dailyTick()));
  const ran = outcomes.filter((outcome) => outcome !== null);
  expect(ran.length).toBe(1);
  expect(ran[0]!.map((purge) => purge.orgId)).toEqual([h.orgId]);
  expect((await traces(h, early)).learners).toBe(0);
  // Later the same day nothing runs; the next day's run purges the one that is due by then.
  clock = daysAfter(181.5);
  expect(await schedulers[1]!.dailyTick()).toBeNull();
  clock = daysAfter(183);
  expect((await schedulers[2]!.dailyTick())!.map((purge) => purge.orgId)).toEqual([h.orgId]);
  expect((await traces(h, late)).learners).toBe(0);
  expect(await h.count("daily_job_claims", "job = 'purge' and finished_at is not null")).toBe(2);
});

test("an organization whose purge fails does not hold the others back, and the day's job is tried again", async () => {
  harness = await createSyncHarness({ learners: 8 });
  const failing = await createSyncHarness({ learners: 8, database: harness.database });
  for (const h of [harness, failing]) {
    h.deps.now = () => T0;
    await h.sync();
    await rows(h, `update learners set status = 'removed', status_changed_at = '${T0.toISOString()}' where id = '${await idOf(h, "stu-2")}'`);
  }
  // A database that refuses to delete that organization's learners.
  await rows(harness, `create function refuse_delete() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`);
  await rows(
    harness,
    `create trigger refuse_delete before delete on learners for each row when (old.org_id = '${failing.orgId}') execute function refuse_delete()`,
  );
  const lines: string[] = [];
  const clock = daysAfter(181);
  const scheduler = createScheduler(createSyncService({ ...harness.deps, logger: createLogger("info", (line) => lines.push(line)) }), { now: () => clock });
  await expect(scheduler.dailyTick()).rejects.toThrow("1 organization");
  expect(await harness.count("learners", `org_id = '${harness.orgId}' and status = 'removed'`)).toBe(0);
  expect(await failing.count("learners", `org_id = '${failing.orgId}' and status = 'removed'`)).toBe(1);
  expect(lines.filter((line) => line.includes("purge.failed")).length).toBe(1);
  expect(lines.join("\n")).not.toContain(failing.district.learners[2]!.familyName);
  // The claim was let go: the next tick the same day tries again, and succeeds once the database allows it.
  await rows(harness, `drop trigger refuse_delete on learners`);
  expect((await scheduler.dailyTick())!.map((purge) => purge.orgId)).toEqual([failing.orgId]);
  expect(await failing.count("learners", `org_id = '${failing.orgId}' and status = 'removed'`)).toBe(0);
});
