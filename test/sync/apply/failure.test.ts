/**
 * A write the database refuses during apply (issue 16, point 11): the run fails within seconds
 * with what failed in the admin's words, nothing is written, the organization's lock and lease
 * are released, and the next sync of a good roster succeeds at once. The NUL bytes here reach
 * apply straight from the district (no reader strips them), as a value Postgres COPY rejects.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { syncRuns } from "../../../src/db/schema/index.ts";
import { ApplyFailed, applyFailureMessage } from "../../../src/sync/apply/failure.ts";
import { applyPlan } from "../../../src/sync/apply/index.ts";
import { buildPlan } from "../../../src/sync/run/planner.ts";
import { loadSyncContext } from "../../../src/sync/state/settings.ts";
import { startRun } from "../../../src/sync/run/lifecycle.ts";
import { createSyncHarness, rosterSnapshot, type SyncHarness } from "../../helpers/sync-harness.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function runRow(runId: string) {
  const [run] = await harness!.database.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  return run!;
}

/** Fails fast instead of hanging the test file when a run never settles (the bug this guards). */
function settlesWithin<T>(work: Promise<T>, seconds: number): Promise<T> {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not settled after ${seconds} s`)), seconds * 1000))]);
}

describe("apply refuses a value", () => {
  test("a NUL byte in a new learner's name fails the first sync at once, names the record, and the next sync succeeds", async () => {
    harness = await createSyncHarness({ learners: 20 });
    const learner = harness.district.learners[6]!;
    const name = learner.givenName;
    learner.givenName = `${name}\u0000`;

    // Three in a row: a connection left in a broken transaction would use up the bulk pool (two connections).
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = performance.now();
      const failed = await settlesWithin(harness.sync(), 20);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(failed.status).toBe("failed");
      expect(failed.errorMessage).toContain("while saving learners, so nothing was changed");
      expect(failed.errorMessage).toContain(`the record with the id ${learner.sourceId} in your school's system holds a character that cannot be stored`);
      const run = await runRow(failed.runId);
      expect(run).toMatchObject({ status: "failed", leaseOwner: null, leaseExpiresAt: null });
      expect(run.errorDetail).toContain("22021");
      expect(run.errorDetail).not.toContain(name);
    }
    expect(await harness.count("learners")).toBe(0);
    expect(await harness.count("source_links")).toBe(0);

    learner.givenName = name;
    const good = await settlesWithin(harness.sync(), 20);
    expect(good.status).toBe("succeeded");
    expect(await harness.count("learners", "status = 'active'")).toBe(20);
  });

  test("a NUL byte in a changed name (the update path) changes nothing and leaves the organization free for the next sync", async () => {
    harness = await createSyncHarness({ learners: 20 });
    expect((await harness.sync()).status).toBe("succeeded");
    const before = await rosterSnapshot(harness.database, harness.orgId);
    const learner = harness.district.learners[2]!;
    learner.familyName = "Okafor\u0000Smith";
    harness.district.classes[0]!.name = "Homeroom\u0000K";

    const failed = await settlesWithin(harness.sync(), 20);
    expect(failed.status).toBe("failed");
    expect(failed.errorMessage).toContain("while saving classes");
    expect(failed.errorMessage).toContain(`the record with the id ${harness.district.classes[0]!.sourceId}`);
    expect(await rosterSnapshot(harness.database, harness.orgId)).toEqual(before);
    expect(await harness.count("sync_runs", "status in ('fetching', 'planned', 'applying')")).toBe(0);

    harness.district.classes[0]!.name = "Homeroom K";
    const failedAgain = await settlesWithin(harness.sync(), 20);
    expect(failedAgain.errorMessage).toContain(`while saving learners, so nothing was changed: the record with the id ${learner.sourceId}`);

    learner.familyName = "Okafor-Smith";
    const good = await settlesWithin(harness.sync(), 20);
    expect(good.status).toBe("succeeded");
    expect(good.counts!.learners.Synced).toBe(1);
    expect(good.counts!.classes.Synced).toBe(1);
  });

  test("a repeated id in the roster ends in a completed run with one record for it", async () => {
    harness = await createSyncHarness({ learners: 10 });
    const first = harness.district.learners[0]!;
    harness.district.learners.push({ ...first, givenName: "Second" });
    harness.district.enrolments.push({ ...harness.district.enrolments.find((enrolment) => enrolment.personSourceId === first.sourceId)! });
    harness.district.educators.push({ ...harness.district.educators[0]! });

    const run = await settlesWithin(harness.sync(), 20);
    expect(run.status).toBe("succeeded");
    expect(await harness.count("source_links", `entity = 'learner' and source_id = '${first.sourceId}'`)).toBe(1);
    expect(await harness.count("learners", `given_name = 'Second'`)).toBe(1);
    expect(await harness.count("learners")).toBe(10);
    expect(await harness.count("enrolments")).toBe(10);
    expect((await settlesWithin(harness.sync(), 20)).counts!.learners.Unchanged).toBe(10);
  });

  /** The harness district's plan, made by the real planner, to be bent into one reconcile never makes. */
  async function planOfDistrict(h: SyncHarness) {
    const { deps, orgId } = h;
    return buildPlan({
      db: deps.database.db,
      orgId,
      source: "oneroster",
      trigger: "cli",
      context: await loadSyncContext(deps.database.db, orgId),
      decisions: new Map(),
      matcher: deps.matcher,
      read: (sink) => deps.readSource({ details: { source: "oneroster", kind: "file", path: "" }, secret: null, cursor: null } as never, sink, {}),
    });
  }

  async function applyFailure(h: SyncHarness, built: Awaited<ReturnType<typeof planOfDistrict>>): Promise<unknown> {
    const runId = await startRun(h.deps, { orgId: h.orgId, trigger: "cli" });
    await h.database.db.update(syncRuns).set({ status: "failed" }).where(eq(syncRuns.id, runId));
    const applying = applyPlan({
      database: h.deps.database,
      orgId: h.orgId,
      runId,
      source: "oneroster",
      plan: built.plan,
      links: built.state.links,
      now: new Date(),
    });
    return settlesWithin(applying, 20).then(
      () => null,
      (failure: unknown) => failure,
    );
  }

  test("a constraint the database enforces (a record created twice) is named as being there twice", async () => {
    harness = await createSyncHarness({ learners: 4 });
    const built = await planOfDistrict(harness);
    const twice = built.plan.learners.find((item) => item.sourceId === "stu-3")!;
    built.plan.learners.push(twice);
    const error = await applyFailure(harness, built);
    expect(error).toBeInstanceOf(ApplyFailed);
    expect(applyFailureMessage(error)).toContain(
      "while saving learners, so nothing was changed: the record with the id stu-3 in your school's system is there twice",
    );
    expect(await harness.count("learners")).toBe(0);
  });

  test("rows that fail while a COPY is under way end it, and the connections stay usable", async () => {
    harness = await createSyncHarness({ learners: 4 });
    // Three times: a connection left in COPY would use up the bulk pool (two connections).
    for (let attempt = 0; attempt < 3; attempt++) {
      const built = await planOfDistrict(harness);
      built.plan.enrolments.add.push({ classSourceId: "cls-nowhere", personSourceIds: ["stu-1"] });
      const error = await applyFailure(harness, built);
      expect(error).toBeInstanceOf(ApplyFailed);
      expect(applyFailureMessage(error)).toBe(
        "Saving the changes failed while saving learners' places in classes, so nothing was changed. Try again; if it happens again, tell your vendor.",
      );
    }
    expect(await harness.count("learners")).toBe(0);
    expect((await settlesWithin(harness.sync(), 20)).status).toBe("succeeded");
  });
});
