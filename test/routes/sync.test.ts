/** The sync pages: status and Sync Now, history, run detail, CSV downloads, roles and scoping. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { syncProblems, syncRunItems, syncRuns } from "../../src/db/schema/index.ts";
import { saveConnection } from "../../src/connections/details.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, type TestApp } from "../helpers/app.ts";

let app: TestApp;
let admin: { orgId: string; userId: string; cookie: string };
let educator: { orgId: string; cookie: string };
let otherCookie: string;

beforeAll(async () => {
  app = await createTestApp();
  const first = await createOrgWithUser(app);
  admin = { ...first, cookie: await signInAs(app, first.email) };
  const teacher = await createOrgWithUser(app, { role: "educator" });
  educator = { orgId: teacher.orgId, cookie: await signInAs(app, teacher.email) };
  const other = await createOrgWithUser(app, { name: "Other District" });
  otherCookie = await signInAs(app, other.email);
}, 60_000);
afterAll(() => app.close());

async function insertRun(orgId: string, values: Partial<typeof syncRuns.$inferInsert> = {}) {
  const [run] = await app.database.db
    .insert(syncRuns)
    .values({ orgId, source: "oneroster", trigger: "scheduled", status: "succeeded", finishedAt: new Date(), ...values })
    .returning();
  return run!;
}

describe("sync status and Sync Now", () => {
  test("before any sync the page says so and offers Sync Now", async () => {
    const page = await (await get(app, "/sync", admin.cookie)).text();
    expect(page).toContain("No sync has run yet");
    expect(page).toMatch(/<button type="submit" aria-describedby="sync-now-why">Sync now<\/button>/);
    expect(page).toContain("Your first sync shows you every change before anything is saved.");
  });

  test("Sync Now without a source is refused with the reason", async () => {
    const response = await formPost(app, "/sync/now", {}, { cookie: admin.cookie });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("No roster source is connected yet");
  });

  test("Sync Now starts a run that the page follows; a failed read leaves it available again", async () => {
    await saveConnection(app.database.db, {
      orgId: admin.orgId,
      details: { source: "oneroster", kind: "file", path: "/does/not/exist.zip" },
      secret: null,
      encryptionKey: app.deps.config.encryptionKey,
    });
    // Not the first sync (a first one is previewed: test/routes/preview.test.ts).
    await insertRun(admin.orgId, { createdAt: new Date(Date.now() - 3 * 86_400_000) });
    const started = await formPost(app, "/sync/now", {}, { cookie: admin.cookie });
    expect(started.status).toBe(200);
    expect(await started.text()).toContain("The sync has started");
    await app.deps.sync.idle();
    const [run] = await app.database.db
      .select()
      .from(syncRuns)
      .where(and(eq(syncRuns.orgId, admin.orgId), eq(syncRuns.trigger, "sync_now")));
    expect(run!.status).toBe("failed");
    expect(run!.startedBy).toBe(admin.userId);
    const page = await (await get(app, "/sync", admin.cookie)).text();
    expect(page).toContain("Failed");
    expect(page).toMatch(/<button type="submit" aria-describedby="sync-now-why">Sync now<\/button>/);
  });

  test("while a run is active the panel polls and Sync Now is refused", async () => {
    const run = await insertRun(admin.orgId, { status: "fetching", trigger: "scheduled", finishedAt: null, progress: { phase: "reading", recordsRead: 1200 } });
    const fragment = await (await get(app, "/sync/status", admin.cookie)).text();
    expect(fragment).toContain('hx-trigger="every 1s"');
    expect(fragment).toContain("1,200 records read");
    expect(fragment).toContain("<progress");
    const refused = await formPost(app, "/sync/now", {}, { cookie: admin.cookie });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("A sync is running now");
    await app.database.db.update(syncRuns).set({ status: "succeeded", finishedAt: new Date() }).where(eq(syncRuns.id, run.id));
    const done = await (await get(app, "/sync/status", admin.cookie)).text();
    expect(done).not.toContain("hx-trigger");
  });

  test("a held run shows why, and the admin can cancel it", async () => {
    const run = await insertRun(admin.orgId, { status: "held", holdReason: "This sync would deactivate 30 of 100 learners (30%).", finishedAt: null });
    const page = await (await get(app, "/sync", admin.cookie)).text();
    expect(page).toContain("would deactivate 30 of 100 learners");
    expect(page).toContain("Approve and apply");
    const cancelled = await formPost(app, `/sync/runs/${run.id}/cancel`, {}, { cookie: admin.cookie });
    expect(await cancelled.text()).toContain("Cancelled. Nothing was changed.");
    const [row] = await app.database.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
    expect(row!.status).toBe("cancelled");
    expect(row!.cancelledBy).toBe(admin.userId);
  });

  test("a run held for several reasons lists each of them, on the Sync page and on its own page", async () => {
    const reasons = ["users.csv has no rows, which usually means a broken export.", "classes.csv has no rows, which usually means a broken export."];
    const run = await insertRun(admin.orgId, { status: "held", holdReason: reasons.join("\n"), finishedAt: null });
    for (const path of ["/sync", `/sync/runs/${run.id}`]) {
      const page = await (await get(app, path, admin.cookie)).text();
      expect(page).toContain("This sync waits for your approval, because:");
      for (const reason of reasons) expect(page).toContain(`<li>${reason}</li>`);
    }
    await formPost(app, `/sync/runs/${run.id}/cancel`, {}, { cookie: admin.cookie });
  });

  test("educators see the status but cannot start or approve", async () => {
    const page = await (await get(app, "/sync", educator.cookie)).text();
    expect(page).not.toContain("Sync now</button>");
    expect((await formPost(app, "/sync/now", {}, { cookie: educator.cookie })).status).toBe(403);
  });
});

describe("history and run detail", () => {
  let runId: string;
  beforeAll(async () => {
    const run = await insertRun(admin.orgId, {
      trigger: "sync_now",
      counts: { learners: { Synced: 1, Matched: 0, "May match": 0, New: 2, Desynced: 0, Unchanged: 7 } },
      problemCount: 2,
      createdAt: new Date(Date.now() - 60_000),
    });
    runId = run.id;
    await app.database.db.insert(syncProblems).values([
      {
        runId,
        orgId: admin.orgId,
        severity: "warning",
        file: "users.csv",
        line: 14,
        field: "birthDate",
        message: 'The date "2013-02-30" does not exist, so it was left empty.',
      },
      {
        runId,
        orgId: admin.orgId,
        severity: "error",
        file: "enrollments.csv",
        line: 3,
        field: "classSourcedId",
        message: "Class c9, which does not exist; the row was skipped.",
      },
    ]);
    await app.database.db.insert(syncRunItems).values({
      runId,
      orgId: admin.orgId,
      entity: "learner",
      status: "Synced",
      action: "update",
      sourceId: "s-1",
      label: "Zoë O'Neil",
      after: { changes: [{ field: "familyName", before: "Neil", after: "O'Neil" }] },
    });
  });

  test("history lists the runs with trigger, status, changes and problems, and a chart", async () => {
    const page = await (await get(app, "/sync/history", admin.cookie)).text();
    expect(page).toContain("Sync Now");
    expect(page).toContain("2 New, 1 Synced");
    expect(page).toContain("<svg");
    expect(page).toContain("Runs per day over the last 30 days");
  });

  test("a run's page lists problems at file, line and field, and learner changes", async () => {
    const page = await (await get(app, `/sync/runs/${runId}`, admin.cookie)).text();
    expect(page).toContain("users.csv");
    expect(page).toContain("birthDate");
    expect(page).toContain("Last name: Neil → O&#39;Neil");
    expect(page).toContain(`/sync/runs/${runId}/problems.csv`);
  });

  test("problems download as CSV with proper quoting", async () => {
    const response = await get(app, `/sync/runs/${runId}/problems.csv`, admin.cookie);
    expect(response.headers.get("content-disposition")).toContain("attachment");
    const text = (await response.text()).replace(/^\uFEFF/, "");
    const lines = text.trim().split("\n");
    expect(lines[0]).toBe('"severity","file","line","field","entity","source_id","message"');
    expect(lines[1]).toBe('"warning","users.csv","14","birthDate",,,"The date ""2013-02-30"" does not exist, so it was left empty."');
    expect(lines).toHaveLength(3);
  });

  test("changes download as CSV", async () => {
    const text = await (await get(app, `/sync/runs/${runId}/changes.csv`, admin.cookie)).text();
    expect(text).toContain('"Zoë O\'Neil","s-1",');
    expect(text).toContain('"familyName: ""Neil"" -> ""O\'Neil"""');
  });

  test("another organization's run is not found, page or download", async () => {
    expect((await get(app, `/sync/runs/${runId}`, otherCookie)).status).toBe(404);
    expect((await get(app, `/sync/runs/${runId}/problems.csv`, otherCookie)).status).toBe(404);
    expect((await formPost(app, `/sync/runs/${runId}/undo`, {}, { cookie: otherCookie })).status).toBe(404);
  });
});
