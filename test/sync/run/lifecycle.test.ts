/**
 * The run lifecycle on a real database: first sync, idempotent re-run, failed reads, the
 * removal threshold with approve and cancel.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditLog, learners, matchDecisions, syncProblems, syncRunItems, syncRuns } from "../../../src/db/schema/index.ts";
import { loadConnection } from "../../../src/connections/details.ts";
import { approveRun, cancelRun, planAndCheck, RunStateError } from "../../../src/sync/run/lifecycle.ts";
import { createSyncHarness, firstLearnersLeave, rosterSnapshot, type SyncHarness } from "../../helpers/sync-harness.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("a sync run", () => {
  test("a finished plan lets go of its lists and links and keeps its counts", async () => {
    harness = await createSyncHarness({ learners: 40 });
    await harness.sync();
    firstLearnersLeave(harness.district, 2);
    harness.district.learners[5]!.familyName = "Renamed";
    const connection = (await loadConnection(harness.database.db, harness.orgId, "oneroster", harness.deps.config.encryptionKey))!;
    const { built } = await planAndCheck(harness.deps, { orgId: harness.orgId, trigger: "cli", connection });
    const lists = () => {
      const { plan } = built;
      const all: { length: number }[] = [plan.schools, plan.academicSessions, plan.learners, plan.educators, plan.classes, plan.learnerFingerprintRefresh];
      all.push(plan.problems, plan.enrolments.add, plan.enrolments.remove, plan.classEducators.add, plan.classEducators.remove);
      return all.map((list) => list.length).concat(plan.classDigests.size, ...Object.values(built.state.links).map((links) => links.size));
    };
    const sizes = lists();
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeGreaterThan(40);
    // The walk above covers every field of a plan but its mode and counts: a new list must be emptied too.
    const planFields = ["academicSessions", "classDigests", "classEducators", "classes", "counts", "educators", "enrolments"];
    planFields.push("learnerFingerprintRefresh", "learners", "mode", "problems", "schools");
    expect(Object.keys(built.plan).sort()).toEqual(planFields);

    built.release();
    expect(lists().every((size) => size === 0)).toBe(true);
    expect(built.plan.counts.learners.Desynced).toBe(2);
    expect(built.plan.counts.learners.Synced).toBe(1);
    expect(built.state.links.learners.get(harness.district.learners[0]!.sourceId)).toBeUndefined();
  });

  test("the first sync creates the roster; the same roster again writes nothing", async () => {
    harness = await createSyncHarness({ learners: 40 });
    const first = await harness.sync();
    expect(first.status).toBe("succeeded");
    expect(first.counts!.learners.New).toBe(40);
    expect(first.counts!.classes.New).toBe(12);
    expect(first.counts!.educators.New).toBe(12);
    expect(first.counts!.enrolments.New).toBe(40 + 12);
    expect(await harness.count("learners", `org_id = '${harness.orgId}' and status = 'active'`)).toBe(40);
    expect(await harness.count("enrolments")).toBe(40);
    expect(await harness.count("class_educators")).toBe(12);
    // Access rule: in a class with a year group.
    expect(await harness.count("learners", "has_access")).toBe(40);

    const before = await rosterSnapshot(harness.database, harness.orgId);
    const second = await harness.sync();
    expect(second.status).toBe("succeeded");
    expect(second.counts!.learners.Unchanged).toBe(40);
    expect(second.counts!.learners.New + second.counts!.learners.Synced + second.counts!.learners.Desynced).toBe(0);
    expect(second.counts!.enrolments.Unchanged).toBe(52);
    expect(await rosterSnapshot(harness.database, harness.orgId)).toEqual(before);
    expect(await harness.count("sync_run_items", `run_id = '${second.runId}'`)).toBe(0);
  });

  test("a changed name is Synced with its before and after, and only that row is written", async () => {
    harness = await createSyncHarness({ learners: 20 });
    await harness.sync();
    harness.district.learners[3]!.familyName = "Renamed";
    const run = await harness.sync();
    expect(run.counts!.learners.Synced).toBe(1);
    expect(run.counts!.learners.Unchanged).toBe(19);
    const items = await harness.database.db.select().from(syncRunItems).where(eq(syncRunItems.runId, run.runId));
    expect(items).toHaveLength(1);
    expect(items[0]!.action).toBe("update");
    expect((items[0]!.after as { changes: { field: string; before: unknown; after: unknown }[] }).changes).toContainEqual({
      field: "familyName",
      before: "Smith3",
      after: "Renamed",
    });
    expect(await harness.count("learners", `last_run_id = '${run.runId}'`)).toBe(1);
  });

  test("a failed read after a successful one removes nothing, and says why", async () => {
    harness = await createSyncHarness({ learners: 30 });
    await harness.settings({ allowRemoval: true });
    await harness.sync();
    const before = await rosterSnapshot(harness.database, harness.orgId);
    harness.district.failAfterLearners = 5;
    const failed = await harness.sync();
    expect(failed.status).toBe("failed");
    expect(failed.errorMessage).toContain("could not be read to the end");
    expect(await rosterSnapshot(harness.database, harness.orgId)).toEqual(before);
    const [run] = await harness.database.db.select().from(syncRuns).where(eq(syncRuns.id, failed.runId));
    expect(run!.status).toBe("failed");
    expect(run!.finishedAt).not.toBeNull();
  });

  test("a leaver with removal off stays active and loses only its link", async () => {
    harness = await createSyncHarness({ learners: 100 });
    await harness.sync();
    const leaver = harness.district.learners.pop()!;
    harness.district.enrolments = harness.district.enrolments.filter((enrolment) => enrolment.personSourceId !== leaver.sourceId);

    const kept = await harness.sync();
    expect(kept.status).toBe("succeeded");
    expect(kept.counts!.learners.Desynced).toBe(1);
    // Its class place leaves the synced roster too: counted as leaving, not missing from every column.
    expect(kept.counts!.enrolments).toMatchObject({ Desynced: 1, Unchanged: 111 });
    expect(await harness.count("learners", "status = 'active'")).toBe(100);
    expect(await harness.count("source_links", `entity = 'learner' and source_id = '${leaver.sourceId}'`)).toBe(0);
    // Nothing destructive: it keeps its class and so its access.
    expect(await harness.count("enrolments")).toBe(100);
    expect(await harness.count("learners", "has_access")).toBe(100);
  });

  test("removal on: a leaver is deactivated and loses access", async () => {
    harness = await createSyncHarness({ learners: 100 });
    await harness.settings({ allowRemoval: true, removalMode: "deactivate" });
    await harness.sync();
    const leaver = harness.district.learners.pop()!;
    harness.district.enrolments = harness.district.enrolments.filter((enrolment) => enrolment.personSourceId !== leaver.sourceId);
    const run = await harness.sync();
    expect(run.status).toBe("succeeded");
    expect(run.counts!.learners.Desynced).toBe(1);
    expect(await harness.count("learners", "status = 'inactive'")).toBe(1);
    expect(await harness.count("learners", "status = 'inactive' and has_access")).toBe(0);
  });

  test("30% leavers are held; the admin can cancel, or approve and the plan is applied", async () => {
    harness = await createSyncHarness({ learners: 100 });
    await harness.settings({ allowRemoval: true });
    await harness.sync();
    firstLearnersLeave(harness.district, 30);

    const held = await harness.sync({ trigger: "scheduled" });
    expect(held.status).toBe("held");
    expect(held.reasons!.join(" ")).toContain("30");
    expect(await harness.count("learners", "status = 'active'")).toBe(100);
    // The preview shows what would change.
    expect(await harness.count("sync_run_items", `run_id = '${held.runId}' and entity = 'learner' and status = 'Desynced'`)).toBe(30);

    await cancelRun(harness.deps, { orgId: harness.orgId, runId: held.runId, userId: null });
    expect(await harness.count("learners", "status = 'active'")).toBe(100);
    await expect(approveRun(harness.deps, { orgId: harness.orgId, runId: held.runId, userId: null })).rejects.toBeInstanceOf(RunStateError);

    const heldAgain = await harness.sync({ trigger: "scheduled" });
    expect(heldAgain.status).toBe("held");
    const approved = await approveRun(harness.deps, { orgId: harness.orgId, runId: heldAgain.runId, userId: null });
    expect(approved.status).toBe("succeeded");
    expect(await harness.count("learners", "status = 'active'")).toBe(70);
    expect(await harness.count("learners", "status = 'inactive'")).toBe(30);
    const actions = (await harness.database.db.select().from(auditLog).where(eq(auditLog.runId, heldAgain.runId))).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["sync.approved", "sync.applied"]));
  });

  test("a dry run plans and writes no roster rows", async () => {
    harness = await createSyncHarness({ learners: 10 });
    const dry = await harness.sync({ dryRun: true });
    expect(dry.status).toBe("planned");
    expect(dry.counts!.learners.New).toBe(10);
    expect(await harness.count("learners")).toBe(0);
  });

  test("problems from the read are kept on the run", async () => {
    harness = await createSyncHarness({ learners: 5 });
    const original = harness.deps.readSource;
    harness.deps.readSource = async (connection, sink, options) => {
      sink.problem({
        severity: "warning",
        file: "users.csv",
        line: 7,
        field: "birthDate",
        message: "The date 2013-02-30 does not exist; the learner was kept without a date of birth.",
      });
      return original(connection, sink, options);
    };
    const run = await harness.sync();
    const problems = await harness.database.db.select().from(syncProblems).where(eq(syncProblems.runId, run.runId));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "users.csv", line: 7, field: "birthDate", severity: "warning" });
  });

  test("an admin's answers to May match pairs are applied by the next sync: linked when accepted, new when rejected", async () => {
    harness = await createSyncHarness({ learners: 4 });
    const db = harness.database.db;
    const [william] = await db
      .insert(learners)
      .values({ orgId: harness.orgId, givenName: "William", familyName: "Okafor", dateOfBirth: "2016-04-03" })
      .returning({ id: learners.id });
    const [ada] = await db
      .insert(learners)
      .values({ orgId: harness.orgId, givenName: "Ada", familyName: "Lin", dateOfBirth: "2017-01-09" })
      .returning({ id: learners.id });
    harness.district.learners.push(
      {
        sourceId: "stu-bill",
        schoolSourceIds: ["sch-1"],
        givenName: "Bill",
        familyName: "Okafor",
        dateOfBirth: "2016-03-04",
        yearGroup: { code: "4", label: "4" },
      },
      { sourceId: "stu-ada", schoolSourceIds: ["sch-1"], givenName: "Ada", familyName: "Lin", dateOfBirth: "2017-01-09", yearGroup: { code: "3", label: "3" } },
    );
    harness.district.enrolments.push(
      { classSourceId: "cls-sch-1-4", personSourceId: "stu-bill", role: "learner" },
      { classSourceId: "cls-sch-1-3", personSourceId: "stu-ada", role: "learner" },
    );
    await db.insert(matchDecisions).values([
      { orgId: harness.orgId, source: "oneroster", sourceId: "stu-bill", learnerId: william!.id, decision: "accepted" },
      { orgId: harness.orgId, source: "oneroster", sourceId: "stu-ada", learnerId: ada!.id, decision: "rejected" },
    ]);
    const run = await harness.sync();
    expect(run.counts!.learners).toMatchObject({ Matched: 1, New: 5 });
    expect(await harness.count("source_links", `source_id = 'stu-bill' and entity_id = '${william!.id}'`)).toBe(1);
    expect(await harness.count("learners", `given_name = 'Bill' and id = '${william!.id}'`)).toBe(1);
    expect(await harness.count("source_links", `source_id = 'stu-ada' and entity_id <> '${ada!.id}'`)).toBe(1);
  });
});
