/**
 * The hold rule on real files (issue 16, point 1): after a successful sync, a bulk set whose
 * files have headers and no rows, and a set missing 30% of its learners, are both held for
 * approval whatever the removal setting; nothing is unlinked, deactivated or removed until an
 * admin approves, and approving still applies the plan. Real zips, the real OneRoster reader,
 * a real database.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { syncRuns } from "../../../src/db/schema/index.ts";
import { saveConnection } from "../../../src/connections/details.ts";
import { connectionReader } from "../../../src/connections/reader.ts";
import { approveRun } from "../../../src/sync/run/lifecycle.ts";
import { createSyncHarness, firstLearnersLeave, rosterSnapshot, type SyncHarness } from "../../helpers/sync-harness.ts";
import { districtZip } from "../../helpers/district-zip.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A harness that reads real OneRoster zips through the real reader. */
async function fileHarness(learners: number, allowRemoval: boolean): Promise<SyncHarness & { use(path: string): Promise<void> }> {
  const h = await createSyncHarness({ learners });
  // Files only: no address is reached, so the address policy does not matter here.
  h.deps.readSource = connectionReader({ allowPrivate: false }, {});
  await h.settings({ allowRemoval });
  const use = (path: string) =>
    saveConnection(h.database.db, {
      orgId: h.orgId,
      details: { source: "oneroster", kind: "file", path },
      secret: null,
      encryptionKey: h.deps.config.encryptionKey,
    });
  await use(await districtZip(h.district));
  expect((await h.sync()).status).toBe("succeeded");
  return Object.assign(h, { use });
}

const learnerLinks = (h: SyncHarness) => h.count("source_links", `entity = 'learner'`);

for (const allowRemoval of [false, true]) {
  describe(`with "allow removal" ${allowRemoval ? "on" : "off"}`, () => {
    test("a set whose files have headers and no rows is held, and nothing leaves the roster", async () => {
      harness = await fileHarness(60, allowRemoval);
      const h = harness as Awaited<ReturnType<typeof fileHarness>>;
      const before = await rosterSnapshot(h.database, h.orgId);
      await h.use(await districtZip());

      const held = await h.sync({ trigger: "scheduled" });
      expect(held.status).toBe("held");
      const reasons = held.reasons!.join("\n");
      expect(reasons).toContain(
        "users.csv has no rows, which usually means a broken export. A sync would take all 60 learners and 12 educators synced now off the synced roster.",
      );
      expect(reasons).toContain("classes.csv has no rows");
      expect(reasons).toContain("enrollments.csv has no rows");
      // Everything would leave, and every count says so.
      expect(held.counts!.learners.Desynced).toBe(60);
      expect(held.counts!.educators.Desynced).toBe(12);
      expect(held.counts!.classes.Desynced).toBe(12);
      expect(held.counts!.enrolments.Desynced).toBe(72);
      expect(await rosterSnapshot(h.database, h.orgId)).toEqual(before);
      expect(await learnerLinks(h)).toBe(60);
      expect(await h.count("learners", "status = 'active'")).toBe(60);
      const [run] = await h.database.db.select().from(syncRuns).where(eq(syncRuns.id, held.runId));
      // One reason a line, for the pages to list.
      expect(run!.holdReason!.split("\n")).toEqual(held.reasons!);
    });

    test("a set missing 30% of its learners is held; nothing is unlinked until an admin approves", async () => {
      harness = await fileHarness(60, allowRemoval);
      const h = harness as Awaited<ReturnType<typeof fileHarness>>;
      const before = await rosterSnapshot(h.database, h.orgId);
      firstLearnersLeave(h.district, 18);
      await h.use(await districtZip(h.district));

      const held = await h.sync({ trigger: "scheduled" });
      expect(held.status).toBe("held");
      const how = allowRemoval ? "18 deactivated" : "18 kept but no longer synced";
      expect(held.reasons).toContain(
        `This sync would take 18 of the 60 learners synced now (30%) off the synced roster (${how}), more than the 10% a sync may change without your approval.`,
      );
      // Their class places leave too, and are counted as leaving rather than going missing.
      expect(held.counts!.enrolments).toMatchObject({ Desynced: 18, Unchanged: 54 });
      expect(await rosterSnapshot(h.database, h.orgId)).toEqual(before);

      const approved = await approveRun(h.deps, { orgId: h.orgId, runId: held.runId, userId: null });
      expect(approved.status).toBe("succeeded");
      // Removal deactivates and keeps the link (a returning learner is restored); without it the link goes.
      expect(await learnerLinks(h)).toBe(allowRemoval ? 60 : 42);
      expect(await h.count("learners", "status = 'active'")).toBe(allowRemoval ? 42 : 60);
      expect(await h.count("enrolments")).toBe(allowRemoval ? 42 : 60);
    });
  });
}

describe("what the threshold counts", () => {
  test("a few leavers, under the minimum of five or the 10% share, are applied without a hold", async () => {
    harness = await fileHarness(60, false);
    const h = harness as Awaited<ReturnType<typeof fileHarness>>;
    firstLearnersLeave(h.district, 5);
    await h.use(await districtZip(h.district));
    const run = await h.sync({ trigger: "scheduled" });
    expect(run.status).toBe("succeeded");
    expect(run.counts!.learners.Desynced).toBe(5);
    expect(await learnerLinks(h)).toBe(55);
  });

  test("classes that leave with removal off are held by their own share, their members counted as leaving", async () => {
    harness = await fileHarness(60, false);
    const h = harness as Awaited<ReturnType<typeof fileHarness>>;
    const leaving = new Set(h.district.classes.slice(0, 6).map((klass) => klass.sourceId));
    h.district.classes = h.district.classes.filter((klass) => !leaving.has(klass.sourceId));
    h.district.enrolments = h.district.enrolments.filter((enrolment) => !leaving.has(enrolment.classSourceId));
    await h.use(await districtZip(h.district));
    const held = await h.sync({ trigger: "scheduled" });
    expect(held.status).toBe("held");
    expect(held.reasons).toContain(
      "This sync would take 6 of the 12 classes synced now (50%) off the synced roster (6 kept but no longer synced), more than the 10% a sync may change without your approval.",
    );
    expect(held.reasons!.join(" ")).toContain("of the 72 class places synced now");
    expect(await h.count("source_links", "entity = 'class'")).toBe(12);
  });
});
